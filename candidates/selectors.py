"""Reads over candidates that are more than a filter: counts, a search's page, likely duplicates."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import connection, connections
from django.db.models import Count, Sum

from candidates.models import Candidate, CandidateTally
from recruitos import sqlcache
from recruitos.sqlcache import fetch_value, fetch_value_matching


def tally_is_kept() -> bool:
    """Whether the database keeps CandidateTally (PostgreSQL's triggers do; SQLite has none)."""
    return connection.vendor == "postgresql"


def candidate_count(*, phase=None, status=None, source=None) -> int:
    """The exact number of candidates with these phase, status and source (None: any)."""
    filters = {name: value for name, value in (("phase", phase), ("status", status), ("source", source)) if value}
    if not tally_is_kept():
        return fetch_value(Candidate.objects.filter(**filters), Count("*"))
    # Sum is null over no rows; a literal 0 in the SQL (Coalesce) would keep the SQL from being reused.
    return fetch_value_matching(CandidateTally.objects.all(), Sum("count"), filters) or 0


def search_page(matches, columns, low: int, high: int) -> tuple[list[tuple], int]:
    """
    The `columns` of `matches` (a candidate queryset) [low:high], newest applied first (then
    newest id), and how many there are in all, reading the matching rows once.

    The matches are materialised (id and applied date only), so the database finds them the
    cheapest way it can (the trigram indexes) instead of in newest-first order, then counts
    them, sorts them, and reads the page's rows by id. Compiled on every call; `search_rows`
    keeps the statement.
    """
    inner, params = _inner(matches)
    return _run_page(_page_template(inner, columns, matches.db), params, low, high)


def search_rows(matches, columns, values: tuple, term: str, low: int, high: int, shape) -> tuple[list, int] | None:
    """
    `search_page`, its SQL kept per `shape` (the filters given and the types of their values):
    no filter is built or compiled per request, only the values change. `matches()` gives the
    filtered queryset the first time a shape is seen: each of its parameters must be one of
    `values` (each used once), the search pattern of `term`, or a constant of the bare search's
    own SQL; otherwise the shape is not kept and this answers None (the caller then calls
    `search_page`).
    """
    like = f"%{connections[Candidate.objects.db].ops.prep_for_like_query(term)}%"
    kept = sqlcache.keep(("search", shape, columns), lambda: _search_template(matches(), columns, values, term, like))
    if kept is None:
        return None
    template, recipe = kept
    return _run_page(template, tuple(_param(step, values, like) for step in recipe), low, high)


def _inner(matches):
    return matches.order_by().values_list("pk", "applied_date").query.sql_with_params()


def _page_template(inner: str, columns, db) -> sqlcache.Template:
    """The one-pass statement of search_page over the matches' SQL `inner`: the page's columns, the total, the id."""
    select_sql, converters = sqlcache.select_list(Candidate.objects.using(db).values_list(*columns))
    connection = connections[db]
    table, pk = (
        connection.ops.quote_name(Candidate._meta.db_table),
        connection.ops.quote_name(Candidate._meta.pk.column),
    )
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""  # SQLite's is implicit
    sql = (
        f"WITH matches (id, applied_date) AS {materialized} ({inner}) "
        f"SELECT {select_sql}, total.n, page.id FROM (SELECT COUNT(*) AS n FROM matches) total LEFT JOIN ("
        "SELECT id, applied_date FROM matches ORDER BY applied_date DESC, id DESC LIMIT %s OFFSET %s"
        f") page ON 1 = 1 LEFT JOIN {table} ON {table}.{pk} = page.id "
        "ORDER BY page.applied_date DESC, page.id DESC"
    )
    return sqlcache.Template(sql, converters)


def _run_page(template, params, low, high) -> tuple[list[tuple], int]:
    rows = template.run(Candidate.objects.db, (*params, high - low, low))
    return [row[:-2] for row in rows if row[-1] is not None], rows[0][-2]


def _search_template(matches, columns, values, term, like):
    """search_rows' Template and how to make its parameters from the values (see there), or None."""
    inner, inner_params = _inner(matches)
    # The constants of the search's own SQL ("" and " " in the full name): those of the bare search.
    constants = Counter(p for p in _inner(Candidate.objects.search(term))[1] if not (type(p) is str and p == like))
    recipe = []  # per parameter: ("value", index in values, wrapper), ("like",) or ("constant", value)
    for param in inner_params:
        found = [i for i, value in enumerate(values) if isinstance(param, type(value)) and value == param]
        is_like = type(param) is str and param == like
        if len(found) + is_like > 1:
            return None  # ambiguous
        if is_like:
            recipe.append(("like",))
        elif found:  # Django may wrap a value for the driver (Int2 for a small integer column)
            recipe.append(("value", found[0], type(param) if type(param) is not type(values[found[0]]) else None))
        elif constants[param] > 0:
            constants[param] -= 1
            recipe.append(("constant", param))
        else:
            return None  # a parameter of something else
    if sorted(step[1] for step in recipe if step[0] == "value") != list(range(len(values))):
        return None  # each value once: not held as text in the SQL, not equal to one of its constants
    if ("like",) not in recipe or constants.total():
        return None
    return _page_template(inner, columns, matches.db), tuple(recipe)


def _param(step, values, like):
    if step[0] == "like":
        return like
    if step[0] == "constant":
        return step[1]
    _, index, wrapper = step
    return wrapper(values[index]) if wrapper else values[index]


@dataclass(frozen=True)
class DuplicateGroup:
    """Candidates that share a normalised email, phone number or LinkedIn profile."""

    reason: str
    key: str
    ids: tuple[int, ...]


def normalized_email(email: str | None) -> str:
    """Lower case, without a "+tag": "Sarah.J+jobs@Mail.com" → "sarah.j@mail.com"."""
    local, _, domain = (email or "").strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if domain else ""


def phone_digits(phone: str | None) -> str:
    """The last ten digits ("+1 (555) 123-4567" and "555.123.4567" agree); under seven: none."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:] if len(digits) >= 7 else ""


def linkedin_profile(url: str | None) -> str:
    """Host-less, scheme-less, case-less path of a LinkedIn URL: "in/sarah-johnson"."""
    if not url:
        return ""
    parts = urlsplit(url.strip().lower() if "://" in url else f"https://{url.strip().lower()}")
    return parts.path.strip("/") if parts.hostname and parts.hostname.endswith("linkedin.com") else ""


def find_duplicate_groups() -> list[DuplicateGroup]:
    """Every group of two or more candidates sharing a key, reading the table once, in chunks."""
    keys = {"email": normalized_email, "phone": phone_digits, "linkedin": linkedin_profile}
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = Candidate.objects.order_by("pk").values_list("pk", "email", "phone", "linkedin_url")
    for pk, *values in rows.iterator(chunk_size=5000):
        for (reason, normalize), value in zip(keys.items(), values, strict=True):
            if key := normalize(value):
                seen[(reason, key)].append(pk)
    return [DuplicateGroup(reason, key, tuple(ids)) for (reason, key), ids in seen.items() if len(ids) > 1]
