"""The wire forms of the contract's `DashboardStats` and `ActivityItem`."""

from rest_framework import serializers

from dashboard.models import Activity, ActivityType, SyncStatus


class DashboardStatsSerializer(serializers.Serializer):
    """Exactly the contract's seven fields."""

    total_candidates = serializers.IntegerField()
    phase1_count = serializers.IntegerField()
    phase2_count = serializers.IntegerField()
    hired_count = serializers.IntegerField()
    interviews_today = serializers.IntegerField()
    sync_status = serializers.ChoiceField(choices=SyncStatus.choices)
    last_sync = serializers.DateTimeField()


class ActivitySerializer(serializers.ModelSerializer):
    """An activity item; `candidateName`, `interviewer` and `count` are left out when empty."""

    OPTIONAL = ("candidate_name", "interviewer", "count")

    id = serializers.SerializerMethodField()
    type = serializers.ChoiceField(choices=ActivityType.choices, read_only=True)
    action = serializers.CharField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "type", "candidate_name", "action", "timestamp", "interviewer", "count"]

    def get_id(self, activity: Activity) -> str:
        return f"activity-{activity.pk}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self.OPTIONAL:
            if data[name] is None:
                del data[name]
        return data
