"""The cap on uploads: a body over UPLOAD_MAX_BYTES keeps its form fields but none of its files."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class UploadCap(FileUploadHandler):
    """
    First of FILE_UPLOAD_HANDLERS. Django streams an upload of any size to a temporary file; over
    the cap (UPLOAD_MAX_BYTES, or the request's own `upload_max_bytes`: an import's), this skips
    every file of the request instead (nothing is written to disk) and marks
    the request (`request.upload_too_large`), so the view can say why the file is missing. The
    other fields (the CSRF token among them) are still read.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > getattr(self.request, "upload_max_bytes", settings.UPLOAD_MAX_BYTES)
        if self.too_large:
            self.request.upload_too_large = True

    def new_file(self, *args, **kwargs):
        if self.too_large:
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
