"""`mediaportal`: the command-line client for a mediaportal server (login, upload, encode, download, stream).

It only speaks HTTP and the status websocket, so it imports nothing from Django and runs on any
machine with the project installed.
"""
