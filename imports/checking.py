"""
Each row checked against the API's candidate rules, in a helper process while the job writes.

Validation is half of an import's time (bench/README.md, "Issue 32"), and it needs nothing but the
row: no database, no other row. So a file of more than one batch has its batches checked ahead,
in one helper process (started as the second batch is read, so a small file never waits for it),
while this process writes the batches before them; the machine's second core does the checking.
A row is checked as a new candidate's: where it turns out to update a stored one, the importer
uses that result when it passed (the same fields pass alike; a partial check only spares the
fields a row leaves out) and checks the row again as an update when it did not.

Nothing changes for the file: the same rows pass, with the same errors, reported in the same
order, whether the helper ran or not (IMPORT_CHECK_AHEAD off, a helper that died: the batches are
checked here). The helper is a `spawn`ed process: it shares no connection, lock or thread with
this one, and it ends with the job, or on its own when this process dies (`recruitos.helpers`).
"""

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress

from django.conf import settings
from rest_framework import serializers

from candidates.serializers import CandidateSerializer
from recruitos import helpers
from recruitos.dates import SupportedMoment
from recruitos.exceptions import flatten_errors
from recruitos.naming import snake_name

#: The largest id a file may give a new candidate: far below the id column's end, so no file can
#: leave the id sequence unable to give the next candidate an id (on PostgreSQL the sequence
#: follows the largest id imported, on SQLite AUTOINCREMENT does), and far enough below 2^53
#: (about 9.007e15, the largest integer JavaScript holds exactly) that the ids made after it
#: stay exact in the frontend for some 8e15 more candidates.
MAX_IMPORTED_ID = 10**15

#: Batches checked ahead of the one being written, at most: their rows are what the job holds in memory.
AHEAD = 2
#: Seconds the job waits for the helper's checks of a batch before it checks the batch itself.
HELPER_TIMEOUT = 120

logger = logging.getLogger(__name__)

#: What a row's check gives: (data, None) when it passed, (None, [(field, message), …]) when it did not.
Check = tuple[dict | None, list[tuple[str, str]] | None]


class CandidateImportSerializer(CandidateSerializer):
    """The API's candidate rules, with `id`, `appliedDate` and `lastUpdated` accepted from files."""

    id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_IMPORTED_ID,
        error_messages={"max_value": f"An imported id is at most {MAX_IMPORTED_ID:,} (10^15)."},
    )
    applied_date = serializers.DateTimeField(required=False, validators=[SupportedMoment()])
    last_updated = serializers.DateTimeField(required=False, validators=[SupportedMoment()])

    class Meta(CandidateSerializer.Meta):
        read_only_fields = []

    def validate_email(self, value: str) -> str:
        return value  # Rows are matched by email, so a known email is an update, not a conflict.

    def get_fields(self):
        """
        The API's fields, a choice's error naming the choices instead of quoting the cell: a job's
        errors are kept, and a cell may hold a person's data (a name in the status column), which
        no erasure could find there.
        """
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.ChoiceField):
                choices = ", ".join(str(choice) for choice in field.choices)
                field.error_messages = {**field.error_messages, "invalid_choice": f"Not one of the choices: {choices}."}
        return fields


def check_batch(batch: tuple) -> list[Check | None]:
    """Each (line, row) checked as a new candidate's; None for a row that is not an object of fields."""
    global _as_new
    if _as_new is None:
        _as_new = CandidateImportSerializer()
    return [check(_as_new, row) if isinstance(row, dict) else None for _, row in batch]


_as_new: CandidateImportSerializer | None = None


def check(serializer: CandidateImportSerializer, row: dict) -> Check:
    """The row's fields, snake-cased and validated by `serializer`, or its errors."""
    try:
        return serializer.run_validation(prepare(row, serializer)), None
    except serializers.ValidationError as exc:
        return None, [(str(error["field"]), str(error["message"])) for error in flatten_errors(exc.detail)]


def prepare(row: dict, serializer) -> dict:
    """
    Snake-case the keys. An empty value means no value: null where the field allows
    null, left out where the field is optional (so its default or stored value holds),
    and kept where the field is required (so it fails as blank).
    """
    prepared = {}
    for key, value in row.items():
        field = serializer.fields.get(snake_name(key))
        if field is None or field.read_only:
            continue
        if value == "" and field.allow_null:
            value = None
        elif value == "" and not field.required:
            continue
        prepared[field.field_name] = value
    return prepared


def checked_batches(batches: Iterator[tuple]) -> Iterator[tuple[tuple, list[Check | None]]]:
    """
    (batch, its rows' checks) in the order of `batches`, checked ahead by the helper once it is up
    (started as the second batch is read; the job checks the batches it gets before then). A file
    error met while reading ahead is raised after the batches read before it.
    """
    ahead = AHEAD if settings.IMPORT_CHECK_AHEAD else 0
    pending: deque[tuple[tuple, Future | None]] = deque()
    helper = Helper()
    error = None
    try:
        while True:
            while error is None and len(pending) <= ahead:
                try:
                    batch = next(batches, None)
                except Exception as exc:  # raised in order, below
                    error = exc
                    break
                if batch is None:
                    break
                if pending and ahead:  # a second batch: a file worth a helper
                    helper.start()
                pending.append((batch, helper.submit(batch)))
            if not pending:
                break
            batch, future = pending.popleft()
            yield batch, helper.result(batch, future)
        if error is not None:
            raise error
    finally:
        helper.stop()


class Helper:
    """
    One job's helper process: started once, given batches once it is up, and let go (the job
    checking the rest) on any failure: it cannot be started, it dies, or it takes longer than
    HELPER_TIMEOUT for a batch. Each let-go is logged once, with no row in it.
    """

    def __init__(self):
        self.pool: ProcessPoolExecutor | None = None
        self.up: Future | None = None  # its process id, once Django is set up in it
        self.tried = False

    def start(self) -> None:
        if self.tried:
            return
        self.tried = True
        try:
            spawn = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(1, mp_context=spawn, initializer=helpers.setup)
            self.up = self.pool.submit(helpers.call, "recruitos.helpers:ready")
        except Exception as exc:  # no process to be had (a limit on processes, files or memory)
            self._let_go(f"could not be started ({type(exc).__name__})")

    def submit(self, batch: tuple) -> Future | None:
        """The batch given to the helper, or None (the job checks it) while it is not up."""
        if self.pool is None or not self.up.done():
            return None
        try:
            self.up.result()
            return self.pool.submit(helpers.call, "imports.checking:check_batch", batch)
        except Exception as exc:
            self._let_go(f"stopped ({type(exc).__name__})")
            return None

    def result(self, batch: tuple, future: Future | None) -> list[Check | None]:
        if future is not None and self.pool is not None:
            try:
                return future.result(timeout=HELPER_TIMEOUT)
            except Exception as exc:  # died (killed, out of memory), hung, or failed: checked here, as without one
                self._let_go(f"stopped ({type(exc).__name__})")
        return check_batch(batch)

    def stop(self) -> None:
        """Let the helper end with the job (it finishes the batch it checks) and wait for it."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _let_go(self, why: str) -> None:
        logger.warning("an import's helper process %s; the job checks its rows itself", why)
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if self.up is not None and self.up.done() and self.up.exception() is None:
            with suppress(ProcessLookupError):
                os.kill(self.up.result(), signal.SIGKILL)  # a hung one does not end when asked
        pool.shutdown(wait=False, cancel_futures=True)
