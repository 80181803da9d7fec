"""WSGI entry point: ``gunicorn pacesetter.wsgi`` in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pacesetter.settings")
application = get_wsgi_application()
