"""`manage.py import_candidates`: sync candidates from CSV or JSON, safely and repeatably, as an import job run at once."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from candidates.models import Candidate
from dashboard.models import Activity, SyncRun
from imports import importer
from imports.models import ImportJob
from imports.tasks import INTERNAL_ERROR
from tests.factories import CandidateFactory

HEADER = "firstName,lastName,email,position,phase,status,source,experience,notes\n"


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_candidates", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(body: str, header: str = HEADER, name: str = "candidates.csv"):
        path = tmp_path / name
        path.write_text(header + body, encoding="utf-8")
        return path

    return write


def test_new_rows_are_created_with_the_apis_rules(db, csv_file):
    path = csv_file(
        "Sarah,Johnson,sarah@example.com,Frontend Developer,1,New,linkedin,3,\n"
        'Michael,Chen,mchen@example.com,Backend Developer,2,technical interview,Referral,,"Likes Go, Rust"\n'
    )
    out, err = run_import(path)
    assert err == ""
    job = ImportJob.objects.get()
    assert out == (
        f"Import #{job.pk}: 2 rows read from {path}: 2 candidates created, 0 updated, 0 unchanged; 0 rows failed.\n"
    )
    assert (job.status, job.via, job.file_name, job.stored_file) == ("succeeded", "command", "candidates.csv", "")
    assert SyncRun.objects.get().import_job_id == job.pk
    sarah = Candidate.objects.get(email="sarah@example.com")
    michael = Candidate.objects.get(email="mchen@example.com")
    assert (sarah.source, sarah.experience, sarah.notes) == ("LinkedIn", 3, None)
    assert (michael.phase, michael.status, michael.notes) == (2, "Technical Interview", "Likes Go, Rust")
    assert sarah.applied_date == sarah.last_updated


def test_rows_match_existing_candidates_by_email_ignoring_case_and_set_only_their_fields(db, csv_file):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    existing = CandidateFactory(
        email="Sarah@Example.com", first_name="Sarah", phone="+1 555", status="New", last_updated=long_ago
    )
    path = csv_file("sarah@example.com,Screened\n", header="email,status\n")
    out, _ = run_import(path)
    assert "0 candidates created, 1 updated" in out
    existing.refresh_from_db()
    assert (existing.status, existing.first_name, existing.phone) == ("Screened", "Sarah", "+1 555")
    assert existing.last_updated > long_ago
    assert Candidate.objects.count() == 1


def test_bad_rows_are_reported_with_line_and_field_and_good_rows_land(db, csv_file):
    path = csv_file(
        "Good,One,good1@example.com,Dev,1,New,LinkedIn,,\n"
        "Bad,Email,not-an-email,Dev,1,New,LinkedIn,,\n"
        "Good,Two,good2@example.com,Dev,1,New,LinkedIn,,\n"
        ",Nameless,nameless@example.com,Dev,3,New,Monster,-1,\n"
    )
    out, err = run_import(path)
    assert err.splitlines() == [
        "line 3: email: Enter a valid email address.",
        "line 5: firstName: This field may not be blank.",
        "line 5: phase: Not one of the choices: 1, 2.",
        "line 5: source: Not one of the choices: LinkedIn, Indeed, Referral, Website.",
        "line 5: experience: Ensure this value is greater than or equal to 0.",
    ]
    assert "4 rows read" in out
    assert "2 candidates created, 0 updated, 0 unchanged; 2 rows failed" in out
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["good1@example.com", "good2@example.com"]
    run = SyncRun.objects.get()
    assert (run.status, run.created_count, run.updated_count, run.failed_count) == ("synced", 2, 0, 2)


def test_running_the_same_file_again_changes_nothing(db, csv_file):
    path = csv_file(
        "Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,3,\n"
        "SARAH,Johnson,SARAH@example.com,Lead Dev,1,Screened,,,\n"
        "Emma,Brown,emma@example.com,QA,1,New,Indeed,,\n"
    )
    run_import(path)
    before = list(Candidate.objects.order_by("pk").values())
    out, _ = run_import(path)
    assert "0 candidates created, 0 updated, 3 unchanged" in out  # a row each: nothing written
    assert list(Candidate.objects.order_by("pk").values()) == before
    sarah = Candidate.objects.get(email__iexact="sarah@example.com")
    assert (sarah.first_name, sarah.position, sarah.status, sarah.source, sarah.experience) == (
        "SARAH", "Lead Dev", "Screened", "LinkedIn", None,
    )  # fmt: skip


def test_json_arrays_are_imported_too(db, tmp_path):
    path = tmp_path / "candidates.json"
    rows = [
        {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Dev", "experience": 4},
        {"firstName": "Bad", "lastName": "Row", "email": "bad@example.com", "position": "Dev", "phase": 9},
        "not an object",
    ]
    path.write_text(json.dumps(rows))
    _, err = run_import(path)
    assert err.splitlines() == [
        "line 2: phase: Not one of the choices: 1, 2.",
        "line 3: row: expected an object with the candidate's fields",
    ]
    assert Candidate.objects.get().experience == 4


def test_ids_and_dates_from_the_file_are_kept_and_new_ids_follow_them(db, csv_file, auth_client):
    path = csv_file(
        "500,Sarah,Johnson,sarah@example.com,Dev,2024-01-15T09:00:00Z,2024-01-20T10:30:00Z\n",
        header="id,firstName,lastName,email,position,appliedDate,lastUpdated\n",
    )
    run_import(path)
    sarah = Candidate.objects.get()
    assert sarah.pk == 500
    assert sarah.applied_date == datetime.datetime(2024, 1, 15, 9, tzinfo=datetime.UTC)
    assert sarah.last_updated == datetime.datetime(2024, 1, 20, 10, 30, tzinfo=datetime.UTC)
    created = auth_client.post(
        "/api/candidates", {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}
    )
    assert created.status_code == 201
    assert created.json()["id"] > 500


def test_an_id_that_belongs_to_someone_else_is_not_taken(db, csv_file):
    other = CandidateFactory(email="other@example.com")
    run_import(
        csv_file(f"{other.pk},Sarah,Johnson,sarah@example.com,Dev\n", header="id,firstName,lastName,email,position\n")
    )
    sarah = Candidate.objects.get(email="sarah@example.com")
    assert sarah.pk != other.pk
    assert Candidate.objects.get(pk=other.pk).email == "other@example.com"


def test_a_sync_run_and_a_feed_entry_record_the_import(db, csv_file, auth_client):
    run_import(csv_file("Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,,\n"))
    run = SyncRun.objects.get()
    assert (run.source, run.status, run.created_count) == ("candidates.csv", "synced", 1)
    assert run.finished_at is not None
    stats = auth_client.get("/api/dashboard/stats").json()
    assert stats["syncStatus"] == "synced"
    assert stats["lastSync"] == run.finished_at.isoformat().replace("+00:00", "Z")
    [item] = auth_client.get("/api/activity").json()
    assert (item["type"], item["action"], item["count"]) == ("sync", "1 new candidate synced from candidates.csv", 1)


def test_a_run_that_dies_mid_file_keeps_whole_batches_and_is_marked_error(db, tmp_path, auth_client):
    path = tmp_path / "broken.json"
    good = [{"firstName": f"N{i}", "lastName": "L", "email": f"n{i}@example.com", "position": "Dev"} for i in range(3)]
    path.write_text(json.dumps(good)[:-1] + ', {"firstName": "cut off')
    with pytest.raises(CommandError, match="malformed JSON after row 3"):
        run_import(path, "--batch-size", "2")
    assert Candidate.objects.count() == 2
    run = SyncRun.objects.get()
    assert (run.status, run.created_count) == ("error", 2)
    assert "malformed JSON" in run.error
    assert auth_client.get("/api/dashboard/stats").json()["syncStatus"] == "error"
    assert not Activity.objects.filter(event="synced").exists()


def test_an_unexpected_failure_marks_the_run_error(db, csv_file, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer, "candidate_bulk_write", broken)
    with pytest.raises(CommandError, match="The import stopped on an internal error"):
        run_import(csv_file("Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,,\n"))
    assert SyncRun.objects.get().status == "error"
    assert SyncRun.objects.get().error == INTERNAL_ERROR  # the traceback is logged, not shown
    assert ImportJob.objects.get().status == "failed"


def test_a_dry_run_writes_nothing(db, csv_file):
    out, _ = run_import(csv_file("Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,,\n"), "--dry-run")
    assert out.startswith("Dry run, nothing written: would have 1 rows read")
    assert not Candidate.objects.exists()
    assert not SyncRun.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("", "empty.csv", "the file is empty"),
        ("firstName,lastName\nA,B\n", "noemail.csv", "no email column"),
        ('{"firstName": "A"}', "object.json", "must hold an array"),
        ("x", "notes.txt", "expected a .csv or .json file"),
    ],
)
def test_files_that_cannot_be_imported_fail_clearly(db, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run_import(path)
    assert not Candidate.objects.exists()


def test_a_missing_file_fails_clearly(db, tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing\.csv: No such file or directory"):
        run_import(tmp_path / "missing.csv")


def test_invalid_utf8_fails_clearly(db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"firstName,lastName,email,position\nJos\xe9,X,jose@example.com,Dev\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)


def test_an_email_taken_by_another_writer_meanwhile_becomes_an_update(db, csv_file, monkeypatch):
    """Two imports racing: the batch's insert loses on the constraint and is redone row by row."""
    path = csv_file("Sarah,Johnson,sarah@example.com,Lead Dev,1,Screened,,,\n")
    holder = CandidateFactory(email="SARAH@example.com", position="Dev", phone="+1 555")
    monkeypatch.setattr(importer.CandidateImporter, "_existing_by_email", staticmethod(lambda batch: {}))
    run_import(path)
    holder.refresh_from_db()
    assert Candidate.objects.count() == 1
    assert (holder.position, holder.status, holder.phone) == ("Lead Dev", "Screened", "+1 555")


def test_columns_that_are_not_candidate_fields_are_reported_once_and_ignored(db, csv_file):
    path = csv_file("Sarah,Johnson,sarah@example.com,Dev,x\nEmma,Brown,emma@example.com,QA,y\n",
                    header="firstName,last_name,email,position,fistName\n")  # fmt: skip
    out, err = run_import(path)
    assert err.splitlines() == ["line 2: fistName: not a candidate field; it is ignored"]
    assert "2 candidates created" in out
    assert "0 rows failed" in out
    assert Candidate.objects.get(email="emma@example.com").last_name == "Brown"  # snake_case is understood


NEW_BY_API = {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}


@pytest.mark.parametrize("huge", [2**63 - 1, 2**63 - 2, 2**62, 2**53, 10**15 + 1, 10**30])
def test_no_file_can_use_up_the_ids(db, csv_file, auth_client, admin_client, huge, django_capture_on_commit_callbacks):
    path = csv_file(f"{huge},Sarah,Johnson,sarah@example.com,Dev\n", header="id,firstName,lastName,email,position\n")
    _, err = run_import(path)
    assert "line 2: id: " in err
    assert not Candidate.objects.filter(email="sarah@example.com").exists()
    # The admin's import page refuses it the same way.
    with path.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        queued = admin_client.post("/admin/imports/importjob/add/", {"file": upload})
    assert "<li>line 2: id: " in admin_client.get(queued["Location"]).content.decode()
    assert not Candidate.objects.filter(email="sarah@example.com").exists()
    # Every later create still gets an id, through the API and the admin.
    assert auth_client.post("/api/candidates", NEW_BY_API).status_code == 201
    form = {"first_name": "C", "last_name": "D", "email": "c@example.com", "position": "Dev", "phase": "1",
            "status": "New", "source": "LinkedIn", "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0"}  # fmt: skip
    assert admin_client.post("/admin/candidates/candidate/add/", form).status_code == 302


@pytest.fixture
def id_sequence_restored(db):
    """PostgreSQL's sequences ignore rollbacks: put the candidates' id sequence back after the test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('candidates_candidate', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last, called = cursor.fetchone()
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last, called])


def test_the_largest_id_a_file_may_give_still_leaves_room_for_new_ones(db, csv_file, auth_client, id_sequence_restored):
    largest = importer.MAX_IMPORTED_ID
    path = csv_file(f"{largest},Sarah,Johnson,sarah@example.com,Dev\n", header="id,firstName,lastName,email,position\n")
    run_import(path)
    assert Candidate.objects.get().pk == largest
    created = auth_client.post("/api/candidates", NEW_BY_API)
    assert created.status_code == 201
    assert created.json()["id"] > largest
    Candidate.objects.filter(pk=largest).delete()
    assert auth_client.post("/api/candidates", NEW_BY_API | {"email": "b@example.com"}).status_code == 201


def test_the_admin_refuses_a_file_over_the_upload_cap_without_storing_it(
    db, csv_file, admin_client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_BYTES = 1_048_576
    rows = "".join(f"Sarah{n},Johnson,sarah{n}@example.com,Dev,1,New,LinkedIn,,\n" for n in range(25_000))
    path = csv_file(rows)
    assert path.stat().st_size > settings.IMPORT_MAX_BYTES
    with path.open("rb") as upload:
        page = admin_client.post("/admin/imports/importjob/add/", {"file": upload})
    assert page.status_code == 200
    assert "The file is over 1.0 MB; import it with `manage.py import_candidates` instead." in page.content.decode()
    assert not Candidate.objects.exists()
    assert not ImportJob.objects.exists()
    small = csv_file("Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,,\n")
    with small.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/admin/imports/importjob/add/", {"file": upload}).status_code == 302
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_separated_by_semicolons_or_tabs_imports_like_commas(db, tmp_path, separator):
    path = tmp_path / "excel.csv"
    rows = [["firstName", "lastName", "email", "position", "experience"], ["Sarah", "Johnson", "sarah@example.com", "Dev", "4"],
            ["Émile", "Zola", "emile@example.com", f"Writer{separator} novelist".replace("\t", ","), "2"]]  # fmt: skip
    with path.open("w", newline="") as file:
        csv.writer(file, delimiter=separator).writerows(rows)
    _, err = run_import(path)
    assert err == ""
    assert sorted(Candidate.objects.values_list("email", "experience")) == [
        ("emile@example.com", 2),
        ("sarah@example.com", 4),
    ]


def test_a_header_with_one_column_says_so(db, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("firstName|lastName|email\nA|B|a@example.com\n")
    with pytest.raises(CommandError, match="its header has one column only"):
        run_import(path)


@pytest.mark.parametrize("header", ["firstName,email,lastName,email,position", "email,first_name,firstName,position"])
def test_a_column_given_twice_is_refused_not_silently_picked(db, tmp_path, header):
    path = tmp_path / "twice.csv"
    path.write_text(header + "\n" + "a,b@example.com,c,d@example.com,e\n")
    with pytest.raises(CommandError, match=r"appears twice \(columns \d and \d\); keep one"):
        run_import(path)
    assert not Candidate.objects.exists()


def test_an_unclosed_quote_is_reported_where_it_opened_and_later_rows_still_count(db, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(
        "firstName,lastName,email,position,notes\n"
        "Sarah,Johnson,sarah@example.com,Dev,fine\n"
        'Emma,"Brown,emma@example.com,Dev,oops\n'
        'Liam,Smith,liam@example.com,Dev,"closes here"\n'
        'Noah,Jones,noah@example.com,Dev,"a note\non two lines"\n'
    )
    _out, err = run_import(path)
    assert (
        "line 3: lastName: a quote opened on line 3 is not closed on that line, so lines 3-4 were read as one row"
        in err
    )
    assert sorted(Candidate.objects.values_list("first_name", flat=True)) == ["Noah", "Sarah"]
    assert Candidate.objects.get(first_name="Noah").notes == "a note\non two lines"


def test_a_value_over_the_csv_field_limit_names_its_line(db, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('firstName,lastName,email,position\nSarah,J,s@example.com,Dev\n"' + "x" * 200_000 + "\n")
    with pytest.raises(
        CommandError, match=r"line 3: a value is longer than 131,072 characters \(is a quote left open\?\)"
    ):
        run_import(path)


def test_the_admin_takes_an_import_larger_than_other_uploads_past_its_csrf_check(db, csv_file, settings, staff):
    """Django's CSRF check reads the form before the view runs: the import's larger cap holds there too."""
    from django.test import Client

    settings.UPLOAD_MAX_BYTES = 1000
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get("/admin/imports/importjob/add/")
    path = csv_file("".join(f"Sarah{n},Johnson,sarah{n}@example.com,Dev,1,New,LinkedIn,,\n" for n in range(100)))
    assert path.stat().st_size > settings.UPLOAD_MAX_BYTES
    with path.open("rb") as upload:
        response = client.post(
            "/admin/imports/importjob/add/", {"file": upload, "csrfmiddlewaretoken": page.context["csrf_token"]}
        )
    assert response.status_code == 302
    assert ImportJob.objects.get().file_size == path.stat().st_size


def test_a_csv_from_a_pipe_imports(db, tmp_path):
    """A pipe cannot be read twice: its CSV streams, checked as it goes."""
    import os
    import threading

    fifo = tmp_path / "people.csv"
    os.mkfifo(fifo)
    rows = HEADER + "Sarah,Johnson,sarah@example.com,Dev,1,New,LinkedIn,,\n"
    writer = threading.Thread(target=lambda: fifo.write_text(rows))
    writer.start()
    out, err = run_import(fifo)
    writer.join()
    assert (err, Candidate.objects.get().email) == ("", "sarah@example.com")
    assert "1 candidates created" in out


def test_the_sweeper_ends_a_command_import_whose_command_died(db):
    from imports.tasks import STOPPED, claim, sweep

    job, _ = claim(ImportJob.objects.create(file_name="people.csv", via="command").pk)
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - datetime.timedelta(hours=1))
    sweep()
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", STOPPED)
    assert (SyncRun.objects.get().status, SyncRun.objects.get().error) == ("error", STOPPED)
