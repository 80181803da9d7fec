"""Settings for the test suite: the defaults, with faster password hashing."""

from pacesetter.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
