from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Field history: a record of every change to a candidate or an interview, from the services' statements."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "history"
    verbose_name = "History"

    def ready(self):
        from candidates.models import Candidate
        from history.admin import change_history
        from history.services import HistoryHandler
        from interviews.models import Interview
        from recruitos import changes
        from recruitos.admin import add_panel

        changes.register(HistoryHandler())
        for model in (Candidate, Interview):
            add_panel(model, change_history)
