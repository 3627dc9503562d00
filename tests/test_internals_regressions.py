"""
Regressions found in the performance plumbing's use of Django's, DRF's and django-filter's
internals (issue 17). Each test failed on the code before the fix.
"""

from types import SimpleNamespace

import pytest
from django.db import IntegrityError
from django.db.models import FilteredRelation, Q
from django.db.models.signals import post_save
from django_filters import rest_framework as filters
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from candidates.filtersets import CandidateFilterSet
from candidates.models import Candidate
from candidates.services import candidate_create, candidate_update
from candidates.views import CandidateViewSet
from dashboard.models import Activity
from interviews.models import Interview
from recruitos.filters import FilterBackend
from recruitos.serializers import ContractModelSerializer
from recruitos.viewsets import fetch_rows
from tests.factories import CandidateFactory, InterviewFactory, UserFactory


def _with_interview(condition):
    """Candidates who have a 5-rated interview that also meets `condition`, joined under one alias."""
    return Candidate.objects.alias(rated=FilteredRelation("interviews", condition=condition)).filter(rated__rating=5)


@pytest.mark.django_db
def test_rows_of_two_queries_joining_one_table_differently_are_not_confused():
    """1. Two querysets with the same alias, join type and WHERE, but different joins: each gets its own rows."""
    without_notes = InterviewFactory(rating=5, notes=None).candidate
    with_notes = InterviewFactory(rating=5, notes="Strong").candidate
    first = _with_interview(Q(interviews__notes__isnull=True))
    second = _with_interview(Q(interviews__notes__isnull=False))

    assert fetch_rows(first, ("id",)) == [(without_notes.pk,)]
    assert fetch_rows(second, ("id",)) == [(with_notes.pk,)]


class _InterviewerSerializer(ContractModelSerializer):
    seen_by = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = ["id", "seen_by"]

    def get_seen_by(self, interview):
        request = self.context.get("request")
        return request.user.username if request is not None else None


class _CandidateWithInterviewsSerializer(ContractModelSerializer):
    interviews = _InterviewerSerializer(many=True, read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "interviews"]


@pytest.mark.django_db
def test_a_nested_serializer_sees_each_requests_context():
    """2. A nested serializer's child reads the context of the serializer it is part of, request after request."""
    interview = InterviewFactory()
    factory = APIRequestFactory()
    for username in ("first", "second"):
        request = factory.get("/")
        request.user = UserFactory(username=username)
        data = _CandidateWithInterviewsSerializer(interview.candidate, context={"request": request}).data
        assert data["interviews"] == [{"id": interview.pk, "seen_by": username}]


class _OwnInterviewsFilterSet(CandidateFilterSet):
    interview = filters.ModelChoiceFilter(
        field_name="interviews",
        queryset=lambda request: Interview.objects.filter(interviewer=request.user.username),
    )

    class Meta(CandidateFilterSet.Meta):
        fields = [*CandidateFilterSet.Meta.fields, "interview"]


@pytest.mark.django_db
def test_a_filter_whose_choices_depend_on_the_request_uses_each_requests_choices():
    """3. A filter with a callable queryset offers each request its own choices, not the first request's."""
    interview = InterviewFactory(interviewer="alice")
    view = SimpleNamespace(filterset_class=_OwnInterviewsFilterSet)
    outcomes = []
    for username in ("alice", "bob"):
        request = Request(APIRequestFactory().get("/", {"interview": interview.pk}))
        request.user = UserFactory(username=username)
        try:
            found = list(FilterBackend().filter_queryset(request, Candidate.objects.all(), view))
        except ValidationError as exc:
            found = exc.detail
        outcomes.append((username, found))
    assert outcomes[0] == ("alice", [interview.candidate])
    assert outcomes[1][0] == "bob"
    assert "interview" in outcomes[1][1]


class _NoObjectAccess(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        return False


class _GuardedCandidateViewSet(CandidateViewSet):
    permission_classes = [permissions.IsAuthenticated, _NoObjectAccess]


@pytest.mark.django_db
def test_reading_one_row_checks_object_permissions():
    """4. A detail read runs the view's object permissions (DRF's get_object)."""
    candidate = CandidateFactory()
    request = APIRequestFactory().get(f"/api/candidates/{candidate.pk}")
    force_authenticate(request, user=UserFactory())
    response = _GuardedCandidateViewSet.as_view({"get": "retrieve"})(request, pk=str(candidate.pk))
    assert response.status_code == 403


@pytest.mark.django_db
def test_creating_a_candidate_saves_both_rows_as_save_does():
    """5. A new candidate and its activity entry are saved with save(): signals fire, on every database."""
    saved = []

    def record(sender, instance, created, **kwargs):
        saved.append((sender, created, instance.pk is not None))

    post_save.connect(record, weak=False, dispatch_uid="test-insert-signals")
    try:
        candidate_create(
            data={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "position": "Engineer"}
        )
    finally:
        post_save.disconnect(dispatch_uid="test-insert-signals")
    assert (Candidate, True, True) in saved
    assert (Activity, True, True) in saved


@pytest.mark.django_db
def test_another_constraint_is_not_reported_as_a_taken_email():
    """6. Only a violation of the email constraint itself is "email taken", whatever the row's text holds."""
    candidate = CandidateFactory()
    with pytest.raises(IntegrityError) as raised:
        candidate_update(instance=candidate, data={"experience": 1000, "notes": "candidate_email_unique_ci"})
    assert "candidate_experience_range" in str(raised.value)
    candidate.refresh_from_db()
    assert candidate.notes is None
