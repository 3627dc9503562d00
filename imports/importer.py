"""
Bulk import of candidates from CSV or JSON: the engine every import job runs (`imports.tasks`),
whether `POST /api/imports`, the admin's import page or `manage.py import_candidates` made it.

Rows are matched to candidates by email, ignoring case: new ones are created, existing
ones get the fields the row has. Each row passes the API's validation; a bad row is
reported with its line and skipped, and good rows are written in batches, each in its
own transaction, so memory stays flat and a bad row never undoes a good one.
"""

import codecs
import csv
import io
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import islice

import ijson
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from candidates.models import CANDIDATE_FIELDS, Candidate
from candidates.services import candidate_bulk_write
from imports import limits
from imports.checking import MAX_IMPORTED_ID, CandidateImportSerializer, Check, check, checked_batches
from recruitos.emails import email_key
from recruitos.naming import snake_name
from recruitos.services import apply_changes
from recruitos.spreadsheet import read_cell
from recruitos.sql import plan_for_values

#: The file columns: the contract's field names, in the API's order (`manage.py export_candidates` writes them).
CANDIDATE_COLUMNS = CANDIDATE_FIELDS.api_names()
#: What a column may be called, once its name is snake_cased as the API does with body keys.
FIELD_NAMES = frozenset(CANDIDATE_FIELDS.names())
__all__ = ["MAX_IMPORTED_ID", "CandidateImporter", "ImportFileError", "read_rows"]


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong format, bad encoding, malformed JSON."""


@dataclass(frozen=True)
class RowError:
    """One problem with one row: where, which field, what."""

    line: int
    field: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or would do in a dry run."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


def read_rows(file, name: str) -> Iterator[tuple[int, object]]:
    """(line, row) pairs from a binary file, by its name's extension: .csv or .json."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "csv":
        return _read_csv(file)
    if suffix == "json":
        return _read_json(file)
    raise ImportFileError(f"{name}: expected a .csv or .json file")


class IgnoredFields:
    """Report once each field name that is not a candidate field (a typo), as the row that has it is imported."""

    def __init__(self, on_error: Callable):
        self.on_error, self.reported = on_error, set()

    def check(self, line: int, row) -> None:
        if isinstance(row, dict):
            for name in row.keys() - self.reported:
                if snake_name(name) not in FIELD_NAMES:
                    self.reported.add(name)
                    self.on_error(RowError(line, name, "not a candidate field; it is ignored"))


@dataclass(frozen=True)
class UnreadableRow:
    """A CSV row that cannot be taken as it is read: reported with its line, never imported."""

    field: str
    message: str


#: Separators a spreadsheet may have written: commas, or semicolons (where the comma is the
#: decimal mark), or tabs. The header line, field names only, says which.
SEPARATORS = (",", ";", "\t")


def _read_csv(file) -> Iterator[tuple[int, dict | UnreadableRow]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    line = 0
    try:
        physical = limits.lines(text)
        header = next(physical, "")
        if not header.strip():
            raise ImportFileError("the file is empty")
        separator = max(SEPARATORS, key=header.count)
        reader = csv.reader(itertools.chain([header], physical), delimiter=separator)
        columns = next(reader)
        limits.check_columns(len(columns))
        _check_columns(columns)
        # Each row costs what its known columns cost: the others are read by the C parser and
        # dropped, named once (the first row carries them, for `IgnoredFields` to report).
        known = [(n, name) for n, name in enumerate(columns) if snake_name(name) in FIELD_NAMES]
        every = list(enumerate(columns))
        notes = {n for n, name in every if snake_name(name) == "notes"}
        line, pairs = 1, every
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells:  # a blank line
                continue
            if line > start:  # only notes may hold a line break: else a quote was left open on line `start`
                broken = [n for n, cell in enumerate(cells) if ("\n" in cell or "\r" in cell) and n not in notes]
                if broken:
                    field = columns[broken[0]] if broken[0] < len(columns) else f"column {broken[0] + 1}"
                    message = (
                        f"a quote opened on line {start} is not closed on that line, so lines {start}-{line} were "
                        "read as one row; close the quote (a value with a line break belongs in notes only)"
                    )
                    yield start, UnreadableRow(field, message)
                    continue
            width = len(cells)
            yield start, {name: read_cell(cells[n]) if n < width else None for n, name in pairs}
            pairs = known
    except limits.LimitExceeded as exc:
        raise ImportFileError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"line {line + 1}: the file is not UTF-8 text") from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"line {line + 1}: a value is longer than {csv.field_size_limit():,} characters (is a quote left open?)"
            ) from exc
        raise ImportFileError(f"line {line + 1}: {exc}") from exc


def _check_columns(columns: list[str]) -> None:
    if "email" not in columns:
        if len(columns) == 1:
            raise ImportFileError(
                "the file has no email column (rows are matched by email); its header has one column only: "
                "separate the columns with commas, semicolons or tabs"
            )
        raise ImportFileError("the file has no email column (rows are matched by email)")
    seen: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        key = snake_name(name.strip())
        if key in seen:
            raise ImportFileError(f"the column {name} appears twice (columns {seen[key]} and {position}); keep one")
        seen[key] = position


def _read_json(file) -> Iterator[tuple[int, object]]:
    head = codecs.getincrementaldecoder("utf-8-sig")().decode(file.read(64)).lstrip()
    if not head.startswith("["):
        raise ImportFileError("a JSON file must hold an array of objects")
    file.seek(0)
    index = 0
    try:
        scanned = limits.JSONLimits(file)
        for index, item in enumerate(ijson.items(scanned, "item", use_float=True), start=1):
            scanned.row_read()
            yield index, item
    except limits.LimitExceeded as exc:
        raise ImportFileError(str(exc)) from exc  # found in a block read ahead of the rows: no row number
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        # ijson's message quotes the file (a person's data, kept in the job's error): only where it broke
        raise ImportFileError(f"malformed JSON after row {index}: the next value cannot be read") from exc


class CandidateImporter:
    """Validate and write rows in batches; report bad rows through `on_error`."""

    def __init__(
        self,
        *,
        dry_run: bool = False,
        batch_size: int = 1000,
        on_error: Callable = print,
        actor=None,
        result: ImportResult | None = None,
        after_batch: Callable[[ImportResult], None] | None = None,
        position: Callable[[], int] | None = None,
    ):
        """
        `result`: the counts to go on from (a resumed job's). `after_batch(result)` runs in the
        transaction that writes each batch, so what it records (a job's progress) is exactly
        what was written. `position()`: how far the file has been read, taken as each batch is
        read (batches are read ahead of their writing), and kept as `read_to` for the batch
        being written.
        """
        self.dry_run = dry_run
        self.actor = actor
        self.batch_size = batch_size
        self.on_error = on_error
        self.result = result or ImportResult()
        self.after_batch = after_batch
        self.position = position
        self.read_to: int | None = None
        self._as_update = CandidateImportSerializer(partial=True)
        self._ignored = IgnoredFields(on_error)

    def run(self, rows: Iterable[tuple[int, object]]) -> ImportResult:
        read_to: deque[int | None] = deque()
        with closing(checked_batches(self._batches(rows, read_to))) as batches:
            for batch, checks in batches:
                self.read_to = read_to.popleft()
                with transaction.atomic():
                    plan_for_values()  # the candidates table grows as the job writes
                    self._import_batch(batch, checks)
                    if self.after_batch is not None:
                        self.after_batch(self.result)
        return self.result

    def _batches(self, rows, read_to: deque) -> Iterator[tuple]:
        for batch in batched(rows, self.batch_size):
            read_to.append(None if self.position is None else self.position())
            yield batch

    def _import_batch(self, batch, checks) -> None:
        now = timezone.now()
        existing = self._existing_by_email(batch)
        new: dict[str, tuple[Candidate, set]] = {}
        originals: dict[str, dict] = {}
        # Each row is counted once, as what the job wrote for it: the first valid row of an email
        # created its candidate, updated it (if the batch's rows changed it in the end) or left it
        # unchanged; a later row of the same email adds to that one write (unchanged); a bad row failed.
        counts = ImportResult(rows=len(batch))
        matched = set()
        for (line, row), checked in zip(batch, checks, strict=True):
            self._ignored.check(line, row)
            key = _email_key(row)
            data = self._validate(line, row, checked, partial=key in existing or key in new)
            if data is None:
                counts.failed += 1
                continue
            if key in new or key in matched:
                counts.unchanged += 1
            if key in new:
                candidate, given = new[key]
                _set(candidate, data)
                given.update(data)
            elif key in existing:
                matched.add(key)
                data.pop("id", None)
                for name, old in apply_changes(existing[key], data).items():
                    originals.setdefault(key, {}).setdefault(name, old)
            else:
                new[key] = (Candidate(**{"applied_date": now, "last_updated": now, **data}), set(data))
        updates = [_net_changes(existing[key], before, now) for key, before in originals.items()]
        updates = [update for update in updates if update[1]]
        counts.created, counts.updated = len(new), len(updates)
        counts.unchanged += len(matched) - len(updates)
        if not self.dry_run:
            # After a lost race (another writer took one of the emails), a row meant to create may
            # have changed, or found unchanged, the candidate that holds its email now.
            written = candidate_bulk_write(new=list(new.values()), changed=updates, actor=self.actor)
            counts.created, counts.updated, counts.unchanged = (
                written.created, counts.updated + written.updated, counts.unchanged + written.unchanged
            )  # fmt: skip
        for name in ("rows", "created", "updated", "unchanged", "failed"):
            setattr(self.result, name, getattr(self.result, name) + getattr(counts, name))

    @staticmethod
    def _existing_by_email(batch) -> dict[str, Candidate]:
        """
        The batch's stored candidates, locked until the batch is written (in key order, as every
        writer locks them): a change made meanwhile through the API waits, or is read and built on,
        never overwritten.
        """
        keys = {_email_key(row) for _, row in batch} - {""}
        matches = Candidate.objects.select_for_update().alias(key=Lower("email")).filter(key__in=keys).order_by("pk")
        return {candidate.email.lower(): candidate for candidate in matches}

    def _validate(self, line: int, row, checked: Check | None, *, partial: bool) -> dict | None:
        """
        The row's data, as checked for a new candidate (`imports.checking`), or None once its errors
        are reported. A row that updates a stored candidate is checked again as an update if it
        failed: it may leave out what a new candidate needs.
        """
        if isinstance(row, UnreadableRow):
            self.on_error(RowError(line, row.field, row.message))
            return None
        if checked is None:
            self.on_error(RowError(line, "row", "expected an object with the candidate's fields"))
            return None
        data, errors = checked
        if errors and partial:
            data, errors = check(self._as_update, row)
        for field, message in errors or ():
            self.on_error(RowError(line, field, message))
        return data


def batched(iterable: Iterable, size: int) -> Iterator[tuple]:
    """Tuples of `size` items (the last one shorter): itertools.batched, which needs Python 3.12."""
    iterator = iter(iterable)
    while batch := tuple(islice(iterator, size)):
        yield batch


def _set(candidate: Candidate, data: dict) -> None:
    for name, value in data.items():
        setattr(candidate, name, value)


def _net_changes(candidate: Candidate, before: dict, now) -> tuple[Candidate, dict]:
    """{field: stored value} of the fields whose value after all of the batch's rows differs from the stored one."""
    changed = {name: old for name, old in before.items() if getattr(candidate, name) != old}
    if changed and "last_updated" not in changed:
        changed["last_updated"] = candidate.last_updated
        candidate.last_updated = now
    return candidate, changed


def _email_key(row) -> str:
    """
    The row's address as the database compares it (recruitos.emails), to match it to a stored one; ""
    for none, and for one with a NUL (no stored address has one, nor may a query carry it: its row fails).
    """
    key = email_key(row.get("email")) if isinstance(row, dict) else ""
    return "" if "\x00" in key else key
