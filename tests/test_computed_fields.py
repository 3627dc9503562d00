"""
A read-only field a serializer computes (a model property, a method) is served in lists, searches
and details alike, and changes nothing else: history and webhooks keep the entity's declared fields.
"""

import pytest
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from candidates.serializers import CandidateSerializer
from candidates.views import CandidateViewSet
from history.models import HistoryRecord
from interviews.serializers import InterviewSerializer
from interviews.views import InterviewViewSet
from recruitos.urls import urlpatterns as project_urls
from tests.factories import CandidateFactory, InterviewFactory

pytestmark = pytest.mark.urls(__name__)


class CandidateWithNameSerializer(CandidateSerializer):
    full_name = serializers.CharField(read_only=True)
    initials = serializers.SerializerMethodField()

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "full_name", "initials"]

    def get_initials(self, candidate) -> str:
        return candidate.first_name[0] + candidate.last_name[0]


class InterviewWithEndSerializer(InterviewSerializer):
    ends = serializers.DateTimeField(source="ends_at", read_only=True)
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    # Columns the serializer shows otherwise than stored: an integer as text, a related row by its
    # email, a time in a format of its own.
    minutes = serializers.CharField(source="duration", read_only=True)
    candidate_email = serializers.SlugRelatedField(source="candidate", slug_field="email", read_only=True)
    day = serializers.DateTimeField(source="scheduled_date", format="%Y-%m-%d", read_only=True)

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "ends", "candidate_name", "minutes", "candidate_email", "day"]


class CandidateWithNameViewSet(CandidateViewSet):
    serializer_class = CandidateWithNameSerializer


class InterviewWithEndViewSet(InterviewViewSet):
    serializer_class = InterviewWithEndSerializer


router = SimpleRouter()
router.trailing_slash = "/?"
router.register("candidates", CandidateWithNameViewSet, basename="candidate")
router.register("interviews", InterviewWithEndViewSet, basename="interview")
urlpatterns = [path("api/", include(router.urls)), *project_urls]  # these first


def test_a_computed_field_is_in_lists_searches_and_details(auth_client):
    ada = CandidateFactory(first_name="Ada", last_name="Lovelace")
    CandidateFactory(first_name="Grace", last_name="Hopper")
    listed = auth_client.get("/api/candidates")
    assert listed.status_code == 200
    assert [(row["fullName"], row["initials"]) for row in listed.json()] == [
        ("Grace Hopper", "GH"),
        ("Ada Lovelace", "AL"),
    ]
    assert listed["X-Total-Count"] == "2"
    [found] = auth_client.get("/api/candidates?search=lovelace").json()
    detail = auth_client.get(f"/api/candidates/{ada.pk}").json()
    assert found == detail == listed.json()[1]
    assert list(detail)[-2:] == ["fullName", "initials"]


def test_computed_fields_of_interviews_too_and_from_a_related_row(auth_client):
    interview = InterviewFactory(candidate=CandidateFactory(first_name="Ada", last_name="Lovelace"))
    [row] = auth_client.get(f"/api/interviews?candidateId={interview.candidate_id}").json()
    assert row == auth_client.get(f"/api/interviews/{interview.pk}").json()
    assert (row["candidateName"], row["ends"]) == ("Ada Lovelace", interview.ends_at.isoformat().replace("+00:00", "Z"))
    assert (row["minutes"], row["candidateEmail"], row["day"]) == (
        "60",
        interview.candidate.email,
        f"{interview.scheduled_date:%Y-%m-%d}",
    )


def test_writes_and_history_keep_the_declared_fields(auth_client):
    created = auth_client.post(
        "/api/candidates",
        {
            "firstName": "Ada",
            "lastName": "L",
            "email": "ada@example.com",
            "position": "Dev",
            "fullName": "ignored",
            "initials": "XX",
        },
    )
    assert created.status_code == 201
    assert (created.json()["fullName"], created.json()["initials"]) == ("Ada L", "AL")
    assert auth_client.patch(f"/api/candidates/{created.json()['id']}", {"firstName": "Augusta"}).status_code == 200
    changes = [record.changes for record in HistoryRecord.objects.order_by("at", "id")]
    assert "full_name" not in changes[0]
    assert changes[1] == {"first_name": {"from": "Ada", "to": "Augusta"}}
