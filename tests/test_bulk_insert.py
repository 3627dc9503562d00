"""
`recruitos.sql.bulk_insert`, the bulk write of imports and of what changes derive (COPY on
PostgreSQL, `bulk_create` elsewhere): rows stored as `save()` stores them, keys in order, keys
given kept, and a refused row raised as Django's error with nothing of the batch stored.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction

from candidates.models import Candidate
from history.models import HistoryRecord
from recruitos.services import violated_constraint
from recruitos.sql import bulk_insert

AT = datetime.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC)


def person(n: int, **fields) -> Candidate:
    values = {"first_name": f"P{n}", "last_name": "Ö'Brien\t\\N", "email": f"p{n}@example.com", "position": "Dev"}
    return Candidate(**{"applied_date": AT, "last_updated": AT, **values, **fields})


def test_rows_are_stored_as_save_stores_them_with_their_keys_in_order(db):
    saved = person(0)
    saved.save()
    given = person(2, id=saved.pk + 1000, notes='line\nbreak, "quoted" and \\ back', experience=0, phase=2)
    rows = [person(1), given, person(3, skills=None, status="Hired")]
    bulk_insert(rows)
    assert [row.pk for row in rows] == [rows[0].pk, saved.pk + 1000, rows[2].pk]
    assert saved.pk < rows[0].pk < rows[2].pk
    assert all(not row._state.adding and row._state.db == "default" for row in rows)
    stored = {candidate.pk: candidate for candidate in Candidate.objects.filter(pk__in=[row.pk for row in rows])}
    for row in rows:
        for field in Candidate._meta.concrete_fields:
            assert getattr(stored[row.pk], field.attname) == getattr(row, field.attname), field.name


def test_json_and_durations_are_stored_as_given(db):
    record = HistoryRecord(
        subject="candidate", object_id=7, via="import", action="created", at=AT,
        changes={"notes": {"from": None, "to": "ünïcode \\N \u2028 \"x\""}, "experience": {"from": 1, "to": 2.5}},
        time_in_left_status=datetime.timedelta(days=3, microseconds=5),
    )  # fmt: skip
    bulk_insert(
        [record, HistoryRecord(subject="candidate", object_id=8, via="api", action="deleted", at=AT, changes={})]
    )
    stored = HistoryRecord.objects.get(pk=record.pk)
    assert (stored.changes, stored.time_in_left_status, stored.at) == (record.changes, record.time_in_left_status, AT)


def test_a_refused_row_raises_djangos_error_and_stores_none_of_the_batch(db):
    Candidate.objects.create(**{f.attname: getattr(person(0), f.attname) for f in Candidate._meta.concrete_fields[1:]})
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        bulk_insert([person(1), person(0, email="P0@EXAMPLE.COM")])  # the email is taken, ignoring case
    assert violated_constraint(raised.value) == "candidate_email_unique_ci"
    assert Candidate.objects.count() == 1
