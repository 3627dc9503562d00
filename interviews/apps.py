from django.apps import AppConfig
from django.core import checks


class InterviewsConfig(AppConfig):
    """Interviews scheduled with candidates."""

    name = "interviews"

    def ready(self):
        from interviews import feeds
        from interviews.availability import check_working_hours
        from interviews.events import interview_events
        from interviews.models import INTERVIEW_FIELDS, Interview
        from interviews.serializers import InterviewSerializer
        from recruitos import entities

        checks.register(check_working_hours)
        feeds.connect()  # a feed's address ends for good when its user loses access
        entities.register(
            entities.Entity(
                "interview",
                Interview,
                INTERVIEW_FIELDS,
                events=interview_events,
                serializer=InterviewSerializer,
                person="candidate_id",
            )
        )
