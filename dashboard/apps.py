from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pipeline statistics, the activity feed and data sync runs."""

    name = "dashboard"

    def ready(self):
        from django.db.models.signals import pre_delete

        from candidates.models import Candidate
        from dashboard.services import Feed, forget_deleted_candidate
        from recruitos import changes

        changes.register(Feed())
        pre_delete.connect(forget_deleted_candidate, sender=Candidate, dispatch_uid="dashboard.forget_deleted")
