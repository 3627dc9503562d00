from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports of candidate files, run as jobs."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from imports.events import import_events
        from imports.models import ImportJob
        from imports.serializers import ImportJobSerializer
        from recruitos import entities

        entities.register(
            entities.Entity(
                "import",
                ImportJob,
                entities.Fields([]),
                events=import_events,
                serializer=ImportJobSerializer,
            )
        )
