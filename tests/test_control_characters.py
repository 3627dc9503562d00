"""Control and bidirectional-override characters: refused in single-line fields, line breaks and tabs kept in notes."""

import io

import pytest
from django.core.management import call_command

from candidates.models import Candidate
from interviews.models import Interview
from tests.factories import CandidateFactory

NEW = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Developer"}
HOSTILE = ["\x1b[31mred", "ding\x07", "\u202eevil", "a\u2066b", "tab\there", "two\nlines", "cr\rhere", "c1\x85mid",
           "del\x7f", "\u200fmark"]  # fmt: skip
SINGLE_LINE = {"firstName": "Sarah{}", "lastName": "J{}", "position": "Dev{}", "phone": "+1 555{}", "skills": "Py{}"}


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", sorted(SINGLE_LINE))
def test_single_line_candidate_fields_refuse_control_and_bidi_characters(auth_client, field, text):
    value = SINGLE_LINE[field].format(text)
    created = auth_client.post("/api/candidates", NEW | {field: value})
    assert created.status_code == 400, (field, text)
    [error] = created.json()["errors"]
    assert error["field"] == field
    assert error["message"].startswith("Remove the control character U+")
    assert not Candidate.objects.exists()
    candidate = CandidateFactory(first_name="Emma")
    assert auth_client.patch(f"/api/candidates/{candidate.pk}", {field: value}).status_code == 400
    candidate.refresh_from_db()
    assert candidate.first_name == "Emma"


@pytest.mark.parametrize("text", HOSTILE)
def test_an_interviewers_name_refuses_them_too(auth_client, text):
    candidate = CandidateFactory()
    body = {"candidateId": candidate.pk, "type": "Technical", "scheduledDate": "2031-03-04T15:00:00Z",
            "interviewer": f"Jane{text}Doe"}  # fmt: skip
    response = auth_client.post("/api/interviews", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "interviewer"
    assert not Interview.objects.exists()


@pytest.mark.parametrize("notes", ["line one\nline two", "windows\r\nline", "a\tb", "émoji 🎉 and ümlaut"])
def test_notes_keep_line_breaks_and_tabs(auth_client, notes):
    created = auth_client.post("/api/candidates", NEW | {"notes": f"Start {notes} end"})
    assert created.status_code == 201
    assert Candidate.objects.get().notes == f"Start {notes} end"
    body = {"candidateId": created.json()["id"], "type": "Technical", "scheduledDate": "2031-03-04T15:00:00Z",
            "interviewer": "Jane Doe", "notes": f"Start {notes} end"}  # fmt: skip
    assert auth_client.post("/api/interviews", body).status_code == 201


@pytest.mark.parametrize("notes", ["\x1b[2Jcleared", "bell\x07", "\u202eevil", "lone\rreturn", "nul\x0bvt"])
def test_notes_refuse_other_control_characters(auth_client, notes):
    response = auth_client.post("/api/candidates", NEW | {"notes": notes})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "notes"


def test_the_admin_and_the_import_refuse_them_the_same_way(admin_client, tmp_path):
    form = {"first_name": "Sarah\u202e", "last_name": "J", "email": "s@example.com", "position": "Dev", "phase": "1",
            "status": "New", "source": "LinkedIn", "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0"}  # fmt: skip
    response = admin_client.post("/admin/candidates/candidate/add/", form)
    assert response.status_code == 200
    assert "Remove the control character U+202E" in response.content.decode()
    path = tmp_path / "c.csv"
    path.write_text("firstName,lastName,email,position\n\x1b[31mSarah,J,s@example.com,Dev\nEmma,B,e@example.com,Dev\n")
    err = io.StringIO()
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 2: firstName: Remove the control character U+001B" in err.getvalue()
    assert list(Candidate.objects.values_list("first_name", flat=True)) == ["Emma"]
