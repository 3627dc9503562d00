from django.contrib.auth import get_user_model
from rest_framework import serializers


class MeSerializer(serializers.ModelSerializer):
    """Who is signed in (or whose key this is), and their roles."""

    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "roles", "is_superuser"]

    def get_roles(self, user) -> list[str]:
        """The user's groups ("Recruiter", "Viewer"), by name."""
        return sorted(user.groups.values_list("name", flat=True))
