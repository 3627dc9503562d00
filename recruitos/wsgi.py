"""WSGI entry point, as served by gunicorn (`gunicorn recruitos.wsgi`) and by `runserver`."""

import io
import os

import orjson
from django.conf import settings  # read lazily, per request
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")


class ChunkedBodies:
    """
    A body sent with `Transfer-Encoding: chunked` (no `Content-Length`) is read, not dropped.

    Django reads `Content-Length` bytes of a body, so without one it sees none: a chunked PUT was
    a 200 that changed nothing, a chunked POST a 400 "required". Where the server has decoded the
    chunks and says the input ends (`wsgi.input_terminated`: gunicorn), the body is read here, up
    to the largest body the request may have, and handed on with its length; a larger one is a
    413. Where it does not (`runserver`), the request is a 411 asking for a `Content-Length`, and
    the connection is closed rather than left holding unread chunks. Never a 2xx for an ignored body.
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
            api = environ.get("PATH_INFO", "").startswith("/api/")
            limit = settings.API_MAX_BODY_BYTES if api else settings.UPLOAD_MAX_BYTES
            body = environ["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                return _refuse(start_response, "413 Request Entity Too Large", f"The body is over {limit} bytes.")
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
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
