"""The pipeline report's query and wire form."""

import datetime

from django.utils import timezone
from rest_framework import serializers

from candidates.models import Source, Status
from recruitos.dates import DAY_OUT_OF_RANGE, EARLIEST, day_in_range
from recruitos.serializers import CaseInsensitiveChoiceField
from recruitos.text import PlainText

#: The window when none is given: the last 365 days, today included.
DEFAULT_DAYS = 365
FORMATS = ["json", "csv"]


class PipelineQuerySerializer(serializers.Serializer):
    """`from` and `to` (days in TIME_ZONE, both included; default the last 365 days), `position`, `source`."""

    def get_fields(self):
        day = {"input_formats": ["iso-8601"], "required": False}
        return {
            "from": serializers.DateField(**day, help_text="First day of applications: YYYY-MM-DD"),
            "to": serializers.DateField(**day, help_text="Last day of applications: YYYY-MM-DD (default today)"),
            "position": serializers.CharField(
                required=False, max_length=200, validators=[PlainText()], help_text="Only this position (any case)"
            ),
            "source": CaseInsensitiveChoiceField(choices=Source.choices, required=False, help_text="Only this source"),
            "format": serializers.ChoiceField(choices=FORMATS, required=False, help_text="csv: the tables as CSV"),
        }

    def validate(self, attrs):
        for name in ("from", "to"):
            if name in attrs and not day_in_range(attrs[name]):
                raise serializers.ValidationError({name: DAY_OUT_OF_RANGE})
        if "to" not in attrs:
            attrs["to"] = timezone.localdate()
        if "from" not in attrs:
            attrs["from"] = max(attrs["to"] - datetime.timedelta(days=DEFAULT_DAYS - 1), EARLIEST.date())
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": "The window's first day is after its last (`to`)."})
        return attrs


class FunnelStageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reached = serializers.IntegerField(help_text="Candidates who got at least this far (Rejected: who were rejected)")
    share = serializers.FloatField(
        allow_null=True, help_text="Of the stage before (Rejected: of all applicants); null when that is 0"
    )


class StageTimeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    left = serializers.IntegerField(help_text="Candidates who have left this stage")
    median_days = serializers.FloatField(
        allow_null=True, help_text="Of the days each candidate spent here, their stays whose start is on record"
    )
    p90_days = serializers.FloatField(allow_null=True)


class TimeToHireSerializer(serializers.Serializer):
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.FloatField(allow_null=True)
    hired = serializers.IntegerField(help_text="Candidates who reached Hired")
    measured = serializers.IntegerField(help_text="Of them, hires whose move to Hired is on record (the days' basis)")


class SourceRowSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    applicants = serializers.IntegerField()
    hires = serializers.IntegerField()
    hire_rate = serializers.FloatField(allow_null=True)


class InterviewerRowSerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    interviews = serializers.IntegerField()
    completed = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)


class PipelineReportSerializer(serializers.Serializer):
    """The report of the candidates who applied in the window."""

    def get_fields(self):
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "position": serializers.CharField(allow_null=True),
            "source": serializers.CharField(allow_null=True),
            "applicants": serializers.IntegerField(),
            "funnel": FunnelStageSerializer(many=True),
            "time_in_stage": StageTimeSerializer(many=True),
            "time_to_hire": TimeToHireSerializer(),
            "sources": SourceRowSerializer(many=True),
            "interviewers": InterviewerRowSerializer(many=True),
        }
