from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import aggregates  # noqa: F401  (registers SQLite's percentile function)
