"""Exit codes a script can rely on, and the one exception type that carries them."""

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    API_ERROR = 1
    USAGE = 2
    AUTH = 3
    NOT_FOUND = 4
    FAILED = 5
    INTERRUPTED = 130


EXIT_HELP = """exit codes:
  0    success
  1    the server refused the request (its message is printed) or could not be reached
  2    usage error (bad arguments)
  3    not logged in, or the server refused the credentials
  4    not found (no such video, job, stream, ... for this account)
  5    an encoding job or a stream ended failed or cancelled
  130  interrupted (Ctrl-C); an interrupted upload or download resumes when run again"""


class CliError(Exception):
    def __init__(self, message: str, code: Exit = Exit.API_ERROR):
        super().__init__(message)
        self.message = message
        self.code = code
