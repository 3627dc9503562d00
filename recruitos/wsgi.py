"""WSGI entry point, as served by gunicorn (`gunicorn recruitos.wsgi`) and by `runserver`."""

import os
import tempfile

import orjson
from django.conf import settings  # read lazily, per request
from django.core.wsgi import get_wsgi_application

from recruitos.uploads import path_takes_imports

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")

SPOOL_BYTES = CHUNK_BYTES = 1_048_576


class ChunkedBodies:
    """
    A body sent with `Transfer-Encoding: chunked` (no `Content-Length`) is read, not dropped.

    Django reads `Content-Length` bytes of a body, so without one it sees none: a chunked PUT was
    a 200 that changed nothing, a chunked POST a 400 "required". Where the server has decoded the
    chunks and says the input ends (`wsgi.input_terminated`: gunicorn), the body is read here, up
    to the largest body the request may have (IMPORT_MAX_BYTES where the view takes imports), and
    handed on with its length; a larger one is a 413. Where it does not (`runserver`), the request
    is a 411 asking for a `Content-Length`, and the connection is closed rather than left holding
    unread chunks. Never a 2xx for an ignored body.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            if not environ.get("wsgi.input_terminated"):
                return _refuse(
                    start_response, "411 Length Required", "Send the body with a Content-Length header.", close=True
                )
            path = environ.get("PATH_INFO", "")
            if path_takes_imports(path):
                limit = settings.IMPORT_MAX_BYTES
            else:
                limit = settings.API_MAX_BODY_BYTES if path.startswith("/api/") else settings.UPLOAD_MAX_BYTES
            # Spooled: a body over a megabyte waits in a temporary file, not in memory.
            body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the request's input from now on)
            size, source = 0, environ["wsgi.input"]
            while size <= limit and (chunk := source.read(min(CHUNK_BYTES, limit + 1 - size))):
                body.write(chunk)
                size += len(chunk)
            if size > limit:
                body.close()
                return _refuse(start_response, "413 Request Entity Too Large", f"The body is over {limit} bytes.")
            body.seek(0)
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = body, str(size)
        return self.app(environ, start_response)


def _refuse(start_response, status: str, detail: str, *, close: bool = False):
    # Without Content-Length the server closes the connection after the answer (a WSGI application
    # may not send `Connection` itself), so no unread chunks are taken for the next request.
    body = orjson.dumps({"detail": detail})
    start_response(
        status, [("Content-Type", "application/json")] + ([] if close else [("Content-Length", str(len(body)))])
    )
    return [body]


application = ChunkedBodies(get_wsgi_application())
