"""The back office's import: the upload page queues a job, the job's page follows it, the jobs are listed."""

import io
from pathlib import Path

import pytest

from candidates.models import Candidate
from dashboard.models import SyncRun
from imports.models import ImportJob

ADD = "/admin/imports/importjob/add/"


@pytest.mark.parametrize("in_memory", [True, False])
def test_the_import_page_runs_the_import(admin_client, settings, in_memory, django_capture_on_commit_callbacks):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000 if in_memory else 0
    upload = io.BytesIO(b"firstName,lastName,email,position\nSarah,Johnson,sarah@example.com,Dev\nBad,Row,nope,Dev\n")
    upload.name = "recruits.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the queued job runs (at once, in the tests)
        response = admin_client.post(ADD, {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/imports/importjob/{job.pk}/change/"
    page = admin_client.get(response["Location"])
    shown = {
        name: page.context["job"].__dict__[f"{name}_count"] for name in ("created", "updated", "unchanged", "failed")
    }
    assert shown == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    content = page.content.decode()
    assert '<strong id="import-status">Succeeded</strong>' in content
    assert "<li>line 3: email: Enter a valid email address.</li>" in content
    assert Candidate.objects.get().email == "sarah@example.com"
    assert SyncRun.objects.get().source == "recruits.csv"
    job.refresh_from_db()
    assert job.stored_file == ""
    assert not any(Path(settings.MEDIA_ROOT, "imports").iterdir())  # the file is gone
    listed = admin_client.get("/admin/imports/importjob/").content.decode()
    assert f'<a href="/admin/imports/importjob/{job.pk}/change/">recruits.csv</a>' in listed


def test_the_import_page_reports_an_unreadable_file(admin_client, settings):
    upload = io.BytesIO(b"not json")
    upload.name = "recruits.json"
    response = admin_client.post(ADD, {"file": upload}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "recruits.json: a JSON file must hold an array of objects"
    ]
    assert not Candidate.objects.exists()
    assert not ImportJob.objects.exists()  # nothing queued, nothing stored


def test_the_candidates_list_links_to_the_import_page(admin_client):
    assert f'href="{ADD}"' in admin_client.get("/admin/candidates/candidate/").content.decode()
