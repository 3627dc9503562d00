"""One person's address is one address, however it is written: the API, the import, the admin and the database agree."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candidates.models import Candidate

NEW = {"firstName": "Sarah", "lastName": "Johnson", "position": "Developer"}
TAKEN = [{"field": "email", "message": "A candidate with this email already exists."}]


@pytest.mark.parametrize(
    ("sent", "stored", "same"),
    [
        ("cafe@bücher.de", "cafe@xn--bcher-kva.de", ["cafe@xn--bcher-kva.de", "CAFE@BÜCHER.DE", "cafe@Bücher.de."]),
        ("\uff43\uff41\uff46\uff45@example.com", "cafe@example.com", ["cafe@example.com", "CAFE@EXAMPLE.COM"]),
        ("\u212aate@example.com", "Kate@example.com", ["kate@example.com", "KATE@example.com"]),  # the Kelvin sign
        ("Zoe@Example.COM", "Zoe@example.com", ["zoe@example.com", "ZOE@EXAMPLE.com", "\uff3aoe@example.com"]),
    ],
)
def test_every_spelling_of_an_address_is_one_address(auth_client, sent, stored, same):
    created = auth_client.post("/api/candidates", NEW | {"email": sent})
    assert created.status_code == 201, created.content
    assert created.json()["email"] == stored
    for other in same:
        response = auth_client.post("/api/candidates", NEW | {"email": other})
        assert response.status_code == 400, other
        assert response.json()["errors"] == TAKEN
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("email", ["\u0130stanbul@example.com", "\u0131stanbul@example.com", "jos\u00e9@example.com"])
def test_letters_python_and_postgresql_fold_differently_are_refused_before_the_at(auth_client, email):
    response = auth_client.post("/api/candidates", NEW | {"email": email})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "email"
    assert not Candidate.objects.exists()


def import_twice(tmp_path, rows: str) -> tuple[str, str]:
    path = tmp_path / "c.csv"
    path.write_text("firstName,lastName,email,position\n" + rows, encoding="utf-8")
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("import_candidates", str(path), stdout=out, stderr=io.StringIO())
        outputs.append(out.getvalue())
    return outputs[0], outputs[1]


def test_the_same_file_imported_twice_changes_nothing_and_says_so(db, tmp_path):
    first, second = import_twice(
        tmp_path,
        "Anna,Berg,anna@bücher.de,Dev\nBen,Carl,\uff42\uff45\uff4e@example.com,Dev\nCleo,Dunn,Cleo@EXAMPLE.org,Dev\n",
    )
    assert "3 candidates created, 0 updated, 0 unchanged" in first
    assert "0 candidates created, 0 updated, 3 unchanged" in second
    assert sorted(Candidate.objects.values_list("email", flat=True)) == [
        "Cleo@example.org", "anna@xn--bcher-kva.de", "ben@example.com",
    ]  # fmt: skip


def test_an_import_matches_a_stored_address_however_the_file_writes_it(auth_client, tmp_path):
    auth_client.post("/api/candidates", NEW | {"email": "anna@xn--bcher-kva.de"})
    path = tmp_path / "c.csv"
    path.write_text("firstName,lastName,email,position\nAnna,Berg,ANNA@BÜCHER.DE,Lead\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_candidates", str(path), stdout=out, stderr=io.StringIO())
    assert "0 candidates created, 1 updated, 0 unchanged" in out.getvalue()
    assert Candidate.objects.get().position == "Lead"


def test_the_admin_writes_an_address_the_same_way(admin_client, auth_client):
    auth_client.post("/api/candidates", NEW | {"email": "anna@xn--bcher-kva.de"})
    form = {"first_name": "A", "last_name": "B", "email": "Anna@Bücher.de", "position": "Dev", "phase": "1",
            "status": "New", "source": "LinkedIn", "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0"}  # fmt: skip
    response = admin_client.post("/admin/candidates/candidate/add/", form)
    assert response.status_code == 200
    assert "A candidate with this email already exists." in response.content.decode()
    form["email"] = "new@Bücher.de"
    assert admin_client.post("/admin/candidates/candidate/add/", form).status_code == 302
    assert Candidate.objects.filter(email="new@xn--bcher-kva.de").exists()


BEFORE, AFTER = ("candidates", "0010_plain_text"), ("candidates", "0011_normalized_emails")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_the_upgrade_writes_stored_addresses_the_one_way_or_stops_naming_the_clashes():
    MigrationExecutor(connection).migrate([BEFORE])
    # The candidate as these migrations know it (later ones add columns).
    Candidate = MigrationExecutor(connection).loader.project_state([AFTER]).apps.get_model("candidates", "Candidate")
    anna = Candidate.objects.create(first_name="A", last_name="B", email="anna@BÜCHER.de", position="Dev")
    ben = Candidate.objects.create(first_name="B", last_name="C", email="\uff42en@example.com", position="Dev")
    MigrationExecutor(connection).migrate([AFTER])
    anna.refresh_from_db()
    ben.refresh_from_db()
    assert (anna.email, ben.email) == ("anna@xn--bcher-kva.de", "ben@example.com")

    MigrationExecutor(connection).migrate([BEFORE])
    clash = Candidate.objects.create(first_name="A", last_name="B", email="anna@bücher.de", position="Dev")
    with pytest.raises(RuntimeError, match=f"candidates {anna.pk} and {clash.pk} are both anna@xn--bcher-kva.de"):
        MigrationExecutor(connection).migrate([AFTER])
    clash.delete()
    MigrationExecutor(connection).migrate([AFTER])
