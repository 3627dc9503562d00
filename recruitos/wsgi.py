"""WSGI entry point, as served by gunicorn: `gunicorn recruitos.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")

application = get_wsgi_application()
