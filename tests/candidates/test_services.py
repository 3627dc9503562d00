"""The candidate services hold their rules when two writers race, not only in the serializer."""

import pytest
from django.core.exceptions import ValidationError

from candidates.models import Candidate
from candidates.services import candidate_create, candidate_delete, candidate_update
from dashboard.models import Activity
from tests.factories import CandidateFactory, UserFactory

REQUIRED = {"first_name": "A", "last_name": "B", "position": "Dev"}


def test_the_database_refuses_a_duplicate_email_that_got_past_validation(db):
    candidate_create(data={**REQUIRED, "email": "same@example.com"})
    with pytest.raises(ValidationError) as raised:
        candidate_create(data={**REQUIRED, "email": "SAME@example.com"})
    assert raised.value.message_dict == {"email": ["A candidate with this email already exists."]}
    assert Candidate.objects.count() == 1


def test_a_taken_email_through_the_api_is_a_400_from_the_constraint_and_stores_nothing(auth_client):
    """No query checks the email beforehand: the constraint decides, and the write leaves no trace."""
    CandidateFactory(email="race@example.com")
    activity_before = Activity.objects.count()
    body = {"firstName": "A", "lastName": "B", "email": "Race@example.com", "position": "Dev"}
    response = auth_client.post("/api/candidates", body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Validation error",
        "errors": [{"field": "email", "message": "A candidate with this email already exists."}],
    }
    assert Candidate.objects.count() == 1
    assert Activity.objects.count() == activity_before


def test_updating_a_candidate_deleted_meanwhile_raises_not_found(db):
    stale = CandidateFactory()
    Candidate.objects.filter(pk=stale.pk).delete()
    with pytest.raises(Candidate.DoesNotExist):
        candidate_update(instance=stale, data={"notes": "too late"})
    assert not Candidate.objects.exists()


def test_deleting_twice_raises_not_found_the_second_time(db):
    candidate = CandidateFactory()
    candidate_delete(instance=candidate)
    with pytest.raises(Candidate.DoesNotExist):
        candidate_delete(instance=candidate)


def test_a_race_lost_after_lookup_is_a_404_through_the_api(auth_client, monkeypatch):
    """The row vanishes between the view's lookup and the service's locked re-read."""
    from candidates import services

    candidate = CandidateFactory()
    original = services.lock_for_update

    def delete_first(instance):
        Candidate.objects.filter(pk=instance.pk).delete()
        return original(instance)

    monkeypatch.setattr(services, "lock_for_update", delete_first)
    response = auth_client.put(f"/api/candidates/{candidate.id}", {"notes": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Candidate not found"}


def test_a_new_candidate_and_its_applied_entry_are_stored_together(db):
    actor = UserFactory(username="rita")
    candidate = candidate_create(data={**REQUIRED, "email": "new@example.com", "id": 777}, actor=actor)
    assert (candidate.pk, candidate._state.adding) == (777, False)
    stored = Candidate.objects.get(pk=777)
    assert (stored.email, stored.applied_date) == ("new@example.com", candidate.applied_date)
    entry = Activity.objects.get()
    assert (entry.event, entry.detail, entry.candidate_id, entry.candidate_name, entry.actor_id) == (
        "applied",
        "Dev",
        777,
        "A B",
        actor.pk,
    )


def test_outside_a_transaction_a_taken_email_stores_neither_row(transactional_db):
    candidate_create(data={**REQUIRED, "email": "same@example.com"})
    with pytest.raises(ValidationError):
        candidate_create(data={**REQUIRED, "email": "Same@Example.com", "first_name": "Other"})
    assert list(Candidate.objects.values_list("first_name", flat=True)) == ["A"]
    assert Activity.objects.count() == 1
