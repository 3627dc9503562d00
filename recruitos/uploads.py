"""The cap on uploads: a body over UPLOAD_MAX_BYTES keeps its form fields but none of its files."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve


def takes_imports(request) -> bool:
    """Whether the request's view takes import files (`takes_imports` on the view or its DRF class)."""
    return view_takes_imports(getattr(getattr(request, "resolver_match", None), "func", None))


def view_takes_imports(view) -> bool:
    return bool(getattr(view, "takes_imports", False) or getattr(getattr(view, "cls", None), "takes_imports", False))


def path_takes_imports(path: str) -> bool:
    """Whether the view at `path` takes import files (before the request is made: a chunked body's cap)."""
    try:
        return view_takes_imports(resolve(path).func)
    except Resolver404:
        return False


class UploadCap(FileUploadHandler):
    """
    First of FILE_UPLOAD_HANDLERS. Django streams an upload of any size to a temporary file; over
    the cap (UPLOAD_MAX_BYTES, or IMPORT_MAX_BYTES for a view marked `takes_imports`), this skips
    every file of the request instead (nothing is written to disk) and marks
    the request (`request.upload_too_large`), so the view can say why the file is missing. The
    other fields (the CSRF token among them) are still read.

    The cap is chosen from the URL's view, not by the view itself: the body may be read before the
    view runs (Django's CSRF check reads a form post's fields in `process_view`).
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.IMPORT_MAX_BYTES if takes_imports(self.request) else settings.UPLOAD_MAX_BYTES
        self.too_large = content_length > limit
        if self.too_large:
            self.request.upload_too_large = True

    def new_file(self, *args, **kwargs):
        if self.too_large:
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
