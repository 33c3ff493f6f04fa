"""Exit 0 when every host:port given accepts a TCP connection within a second."""

import socket
import sys

for target in sys.argv[1:]:
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        print(f"{target} is not reachable", file=sys.stderr)
        sys.exit(1)
