from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    """People in the hiring pipeline."""

    name = "candidates"

    def ready(self):
        from candidates.events import candidate_events
        from candidates.models import CANDIDATE_FIELDS, Candidate
        from recruitos import changes, entities
        from recruitos.admin import ForgetErasedInAdminLog

        entities.register(
            entities.Entity(
                "candidate",
                Candidate,
                CANDIDATE_FIELDS,
                events=candidate_events,
                serializer="candidates.serializers.CandidateSerializer",
                person="pk",
            )
        )
        changes.register(ForgetErasedInAdminLog())
