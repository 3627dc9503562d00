"""The interviews back office: autocomplete for the candidate, status actions."""

import pytest

from dashboard.models import Activity
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory


def test_the_candidate_is_picked_with_an_autocomplete(admin_client):
    sarah = CandidateFactory(first_name="Sarah", last_name="Johnson")
    CandidateFactory(first_name="Emma", last_name="Brown")
    page = admin_client.get("/admin/interviews/interview/add/")
    assert 'class="admin-autocomplete' in page.content.decode()
    found = admin_client.get(
        "/admin/autocomplete/",
        {"term": "sarah jo", "app_label": "interviews", "model_name": "interview", "field_name": "candidate"},
    ).json()
    assert found["results"] == [{"id": str(sarah.pk), "text": str(sarah)}]


@pytest.mark.parametrize(("action", "status"), [("mark_completed", "Completed"), ("mark_cancelled", "Cancelled")])
def test_status_actions_record_activity(admin_client, action, status):
    interviews = InterviewFactory.create_batch(2)
    admin_client.post(
        "/admin/interviews/interview/", {"action": action, "_selected_action": [i.pk for i in interviews]}
    )
    assert set(Interview.objects.values_list("status", flat=True)) == {status}
    assert Activity.objects.filter(event=status.lower()).count() == 2
