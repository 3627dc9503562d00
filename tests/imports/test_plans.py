"""
An import plans its statements for their values on PostgreSQL (recruitos.sql.plan_for_values):
prepared once while the table was empty, the lookup of a batch's emails would otherwise stay a
scan of the whole table as the import fills it (5 s a batch at 100,000 candidates). The setting
holds for each batch's transaction and ends with it.
"""

import pytest
from django.db import connection

from candidates.models import Candidate
from imports.importer import CandidateImporter

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="plan_cache_mode is PostgreSQL's")


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        return cursor.fetchone()[0]


def test_each_batch_plans_for_its_values_and_the_setting_ends_with_it(transactional_db):
    before, during = plan_cache_mode(), []
    rows = [
        (n, {"firstName": "P", "lastName": str(n), "email": f"p{n}@example.com", "position": "Dev"}) for n in range(7)
    ]
    CandidateImporter(batch_size=2, after_batch=lambda result: during.append(plan_cache_mode())).run(rows)
    assert during == ["force_custom_plan"] * 4
    assert plan_cache_mode() == before != "force_custom_plan"
    assert Candidate.objects.count() == 7
