"""Loaded with `-p` before pytest-django reads settings: tests get their own data directory.

Without it a test run would share ./var (secret key, event file, media) with a portal running
from the same checkout, and a test user could receive a real user's events.
"""

import os
import tempfile

if not os.environ.get("MEDIAPORTAL_DATA_DIR"):
    os.environ["MEDIAPORTAL_DATA_DIR"] = tempfile.mkdtemp(prefix="mediaportal-test-")
os.environ.setdefault("MEDIAPORTAL_WORKERS", "2")
