from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pipeline statistics, the activity feed and data sync runs."""

    name = "dashboard"

    def ready(self):
        from django.db.models.signals import post_delete, pre_delete

        from candidates.models import Candidate
        from dashboard.services import Feed, candidate_deleting, candidates_deleted
        from recruitos import changes

        changes.register(Feed())
        pre_delete.connect(candidate_deleting, sender=Candidate, dispatch_uid="dashboard.candidate_deleting")
        post_delete.connect(candidates_deleted, sender=Candidate, dispatch_uid="dashboard.candidates_deleted")
