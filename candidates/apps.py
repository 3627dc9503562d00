from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    """People in the hiring pipeline."""

    name = "candidates"

    def ready(self):
        from candidates.events import candidate_events
        from candidates.models import CANDIDATE_FIELDS, Candidate
        from candidates.serializers import CandidateSerializer
        from recruitos import changes, entities
        from recruitos.admin import ForgetErasedInAdminLog

        entities.register(
            entities.Entity(
                "candidate",
                Candidate,
                CANDIDATE_FIELDS,
                events=candidate_events,
                serializer=CandidateSerializer,
                person="pk",
            )
        )
        changes.register(ForgetErasedInAdminLog())
