"""The wire form of an interview, field for field the contract's `Interview`."""

from rest_framework import serializers

from candidates.models import Candidate
from interviews.models import INTERVIEW_FIELDS, MAX_DURATION_MINUTES, Interview
from recruitos.dates import DAY_OUT_OF_RANGE, day_in_range
from recruitos.serializers import ContractModelSerializer
from recruitos.text import PlainText


class InterviewSerializer(ContractModelSerializer):
    """Validates interview input; `candidateId` must name an existing candidate."""

    candidate_id = serializers.PrimaryKeyRelatedField(
        source="candidate",
        queryset=Candidate.objects.all(),
        error_messages={
            "does_not_exist": "Candidate {pk_value} not found.",
            "incorrect_type": "A candidate id is an integer.",
        },
    )

    class Meta:
        model = Interview
        fields = INTERVIEW_FIELDS.names()
        read_only_fields = INTERVIEW_FIELDS.names(read_only=True)


class AvailabilityQuerySerializer(serializers.Serializer):
    """The query of `GET /api/interviews/availability`."""

    interviewer = serializers.CharField(max_length=200, validators=[PlainText()], help_text="The interviewer's name")
    date = serializers.DateField(input_formats=["iso-8601"], help_text="A day in TIME_ZONE: YYYY-MM-DD")
    duration = serializers.IntegerField(
        min_value=1, max_value=MAX_DURATION_MINUTES, default=60, help_text="Minutes the window must last (default 60)"
    )

    def validate_date(self, value):
        if not day_in_range(value):
            raise serializers.ValidationError(DAY_OUT_OF_RANGE)
        return value


class TimeWindowSerializer(serializers.Serializer):
    """A free window: from `start` to `end`."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class CalendarFeedSerializer(serializers.Serializer):
    """The secret address a calendar app subscribes to; it works without a header until replaced."""

    url = serializers.URLField()


class CalendarFeedQuerySerializer(serializers.Serializer):
    """The query of `/api/calendar-feed`: one interviewer's interviews, or everyone's."""

    interviewer = serializers.CharField(
        max_length=200, required=False, validators=[PlainText()], help_text="Only this interviewer's interviews"
    )
