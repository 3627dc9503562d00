"""The wire form of an import job, and of the upload that queues one."""

from rest_framework import serializers

from imports.models import ImportJob, ImportStatus


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    created = serializers.IntegerField(source="created_count")
    updated = serializers.IntegerField(source="updated_count")
    unchanged = serializers.IntegerField(source="unchanged_count")
    failed = serializers.IntegerField(source="failed_count")
    errors = RowErrorSerializer(many=True, help_text="The first 100 row errors; `failed` counts them all.")
    error = serializers.CharField(help_text="Why the file as a whole failed; empty otherwise.")
    progress = serializers.FloatField(help_text="How much of the file is done, from 0 to 1.")

    class Meta:
        model = ImportJob
        fields = [
            "id", "status", "file_name", "dry_run", "progress", "processed", "created", "updated", "unchanged",
            "failed", "errors", "error", "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    """`multipart/form-data`: the file, and whether to only check it."""

    file = serializers.FileField(help_text="A .csv or .json file of candidates, as the import command reads.")
    dry_run = serializers.BooleanField(default=False, help_text="Validate and count, write nothing.")


class DryRunQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False, help_text="With a JSON body: validate and count, write nothing.")
