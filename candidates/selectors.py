"""Reads over candidates that are more than a filter: counts, a search's page, likely duplicates."""

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Count, Sum

from candidates.models import Candidate, CandidateTally
from recruitos.sql import fetch_value, ordered_page


def tally_is_kept() -> bool:
    """Whether the database keeps CandidateTally (PostgreSQL's triggers do; SQLite has none)."""
    return connection.vendor == "postgresql"


def candidate_count(*, phase=None, status=None, source=None) -> int:
    """The exact number of candidates with these phase, status and source (None: any)."""
    filters = {name: value for name, value in (("phase", phase), ("status", status), ("source", source)) if value}
    if not tally_is_kept():
        return fetch_value(Candidate.objects.filter(**filters), Count("*"))
    return fetch_value(CandidateTally.objects.filter(**filters), Sum("count")) or 0


def search_page(matches, columns, low: int, high: int) -> tuple[list[tuple], int]:
    """
    The `columns` of `matches` (a candidate queryset) [low:high], newest applied first (then
    newest id), and how many there are in all, reading the matching rows once
    (`recruitos.sql.ordered_page`).
    """
    return ordered_page(matches, "applied_date", columns, low, high)


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
