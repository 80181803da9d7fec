"""Settings for the test suite: the defaults, with faster password hashing."""

import os
import tempfile
from pathlib import Path

from pacesetter.settings import *  # noqa: F403
from pacesetter.settings import CACHES, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# SQLite's test database is a file, as in production (WAL, writers waiting their turn), not
# Django's shared in-memory database, whose table locks fail at once: tests that race two
# connections (goals/tests/test_goal_versions.py) need writers to wait as they do in use.
# In memory when the machine has it (/dev/shm), and without waiting for the disk: a test
# database is thrown away anyway.
_DB = DATABASES["default"]
if _DB["ENGINE"].endswith("sqlite3"):
    _SCRATCH = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    _DB["TEST"] = {"NAME": str(_SCRATCH / f"pacesetter-test-{os.getpid()}.sqlite3")}
    _DB["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )

# Tasks run as they are queued (on commit), in the test; tests of the worker use the database
# backend (pacesetter/jobs/tests).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Kept pages in each test process's memory (web/tests/test_page_cache.py tests the shared
# directory on its own): nothing a test computed lands in var/.
CACHES["pages"].update(BACKEND="django.core.cache.backends.locmem.LocMemCache", LOCATION="pages")
