"""Reads over candidates that are more than a filter: finding likely duplicates."""

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from candidates.models import Candidate


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
