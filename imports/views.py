"""`POST /api/imports` (202: queued), `GET /api/imports` and `GET /api/imports/{id}`."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from imports.importer import ImportFileError
from imports.models import ImportJob
from imports.parsers import JSONArrayFile, JSONArrayParser
from imports.serializers import DryRunQuerySerializer, ImportJobSerializer, ImportUploadSerializer
from imports.services import import_queue
from recruitos.naming import snake_name
from recruitos.parsers import RequestTooLarge
from recruitos.schema import SIGNED_IN, ErrorSerializer, errors
from recruitos.viewsets import IdLookupMixin

#: An import creates and changes candidates: it needs both permissions, to run one or to read one.
IMPORT_PERMISSIONS = ("candidates.add_candidate", "candidates.change_candidate")


class MayImport(BasePermission):
    message = "You do not have permission to import candidates."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perms(IMPORT_PERMISSIONS))


class ImportViewSet(IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """
    Imports of candidate files, run in the background by the same code as `manage.py
    import_candidates`; newest first. For users who may add and change candidates.
    """

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    permission_classes = [MayImport]
    parser_classes = [MultiPartParser, JSONArrayParser]
    filter_backends = []
    takes_imports = True  # files up to IMPORT_MAX_BYTES (recruitos.uploads.UploadCap)

    @extend_schema(
        description=(
            "Queue an import: a CSV or JSON file as the multipart field `file` (with `dryRun`), or a JSON "
            "array of candidate objects as the body (with `?dryRun=true`). Answers 202 at once; "
            "`GET /api/imports/{id}` follows the job."
        ),
        parameters=[DryRunQuerySerializer],
        request={
            "multipart/form-data": ImportUploadSerializer,
            "application/json": {"type": "array", "items": {"type": "object"}},
        },
        responses={202: ImportJobSerializer, 413: ErrorSerializer, 415: ErrorSerializer, **errors(400, *SIGNED_IN)},
    )
    def create(self, request):
        data = request.data  # parsed here: a file over IMPORT_MAX_BYTES is left out, and the request marked
        if getattr(request, "upload_too_large", False):  # DRF's Request hands on what Django's request holds
            raise RequestTooLarge(f"The file is larger than {settings.IMPORT_MAX_BYTES} bytes.")
        if isinstance(data, JSONArrayFile):
            query = DryRunQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            file, name, dry_run = data, data.name, query.validated_data["dry_run"]
        else:
            # Form field names as the API writes them (`dryRun`); the camelCase parser reads JSON bodies only.
            fields = {snake_name(name): data[name] for name in ("file", "dryRun", "dry_run") if name in data}
            upload = ImportUploadSerializer(data=fields)
            upload.is_valid(raise_exception=True)
            file, dry_run = upload.validated_data["file"], upload.validated_data["dry_run"]
            name = file.name
        try:
            job = import_queue(file=file, name=name, dry_run=dry_run, actor=request.user)
        except ImportFileError as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
