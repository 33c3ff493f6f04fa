import sys

from mediaportal.cli.main import main

sys.exit(main())
