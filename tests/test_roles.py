"""Roles: a Viewer's key reads but cannot write; a Recruiter's can; the admin agrees."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.test import APIClient

from candidates.models import Candidate
from tests.factories import CandidateFactory, InterviewFactory, UserFactory, api_key_for

FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NEW = {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}


def client_for(role: str | None) -> APIClient:
    user = UserFactory(username=f"member-{role}", is_superuser=False, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(user)}")
    client.default_format = "json"
    return client


def test_a_viewer_reads_everything(db):
    interview = InterviewFactory()
    viewer = client_for("Viewer")
    for url in ["/api/candidates", f"/api/candidates/{interview.candidate_id}", "/api/interviews",
                f"/api/interviews/{interview.pk}", "/api/activity", "/api/dashboard/stats"]:  # fmt: skip
        assert viewer.get(url).status_code == 200, url


def test_a_viewer_cannot_write(db):
    interview = InterviewFactory()
    candidate_id = interview.candidate_id
    viewer = client_for("Viewer")
    for response in [
        viewer.post("/api/candidates", NEW),
        viewer.put(f"/api/candidates/{candidate_id}", {"status": "Hired"}),
        viewer.patch(f"/api/candidates/{candidate_id}", {"status": "Hired"}),
        viewer.delete(f"/api/candidates/{candidate_id}"),
        viewer.post("/api/interviews", {"candidateId": candidate_id}),
        viewer.put(f"/api/interviews/{interview.pk}", {"status": "Cancelled"}),
        viewer.delete(f"/api/interviews/{interview.pk}"),
    ]:
        assert response.status_code == 403
        assert response.json() == FORBIDDEN
    assert Candidate.objects.get().status == "New"
    assert Candidate.objects.count() == 1


def test_a_recruiter_reads_and_writes(db):
    recruiter = client_for("Recruiter")
    created = recruiter.post("/api/candidates", NEW)
    assert created.status_code == 201
    assert recruiter.put(f"/api/candidates/{created.json()['id']}", {"status": "Screened"}).status_code == 200
    assert recruiter.delete(f"/api/candidates/{created.json()['id']}").status_code == 204


def test_a_key_without_a_role_reads_nothing(db):
    CandidateFactory()
    nobody = client_for(None)
    response = nobody.get("/api/candidates")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


def test_the_admin_shows_a_viewer_but_does_not_let_them_change(db):
    candidate = CandidateFactory()
    user = UserFactory(username="viewer", is_superuser=False, is_staff=True)
    user.groups.add(Group.objects.get(name="Viewer"))
    client = Client()
    client.force_login(user)
    assert client.get("/admin/candidates/candidate/").status_code == 200
    page = client.get(f"/admin/candidates/candidate/{candidate.pk}/change/")
    assert page.status_code == 200
    assert b'name="first_name"' not in page.content  # read-only view, no form fields
    assert client.post(f"/admin/candidates/candidate/{candidate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/imports/importjob/add/").status_code == 403
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_the_admin_needs_a_staff_login(client, db):
    response = client.get("/admin/candidates/candidate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("group", ["Recruiter", "Viewer"])
def test_the_roles_exist_after_migrating(db, group):
    assert Group.objects.filter(name=group).exists()


def test_a_recruiter_imports_in_the_admin_and_follows_the_job(db, django_capture_on_commit_callbacks):
    """The Recruiter role has no permission of the imports app's own: adding and changing candidates is enough."""
    import io

    user = UserFactory(username="recruiter-admin", is_superuser=False, is_staff=True)
    user.groups.add(Group.objects.get(name="Recruiter"))
    client = Client()
    client.force_login(user)
    assert 'href="/admin/imports/importjob/add/"' in client.get("/admin/candidates/candidate/").content.decode()
    assert 'href="/admin/imports/"' in client.get("/admin/").content.decode()  # the app is on the index
    upload = io.BytesIO(b"firstName,lastName,email,position\nAda,L,ada@example.com,Dev\n")
    upload.name = "people.csv"
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/admin/imports/importjob/add/", {"file": upload})
    assert queued.status_code == 302
    assert "Succeeded" in client.get(queued["Location"]).content.decode()
    assert client.get("/admin/imports/").status_code == 200
    assert Candidate.objects.get().email == "ada@example.com"
