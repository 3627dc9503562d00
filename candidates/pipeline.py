"""
A candidate's pipeline facts: what the pipeline report (`reports.selectors`) reads of them, kept
on the candidate's own row so that the report needs no join to the history.

Each status move (a `recruitos.changes.Change` of `status`) says which status was left, when, and
since when the candidate was in it (`entered`, when known). `moved` folds the move into the
candidate before it is saved, in the same write: the statuses left (a bit each), the days spent
in each status (the sum over stays whose start is known) and the first move to Hired. History
keeps the same facts on the move's record, derived from the same change.
Together with the current status they answer the report's questions: how far a candidate got,
whether they were ever rejected, how long they stayed in each stage, how long the hire took.
"""

import datetime

from candidates.models import Candidate, Status, days_in

#: One bit per status, in the pipeline's order.
STAGE_BITS = {status: 1 << place for place, status in enumerate(Status)}
#: The column keeping the days spent in each status (Hired ends the pipeline: none).
DAYS_IN = {status: days_in(status) for status in Status if status != Status.HIRED}
#: Every fact column, as `save(update_fields=…)` names them.
FACTS = ["stages_left", "hired_at", *DAYS_IN.values()]
DAY = datetime.timedelta(days=1)


def moved(candidate: Candidate, change) -> list[str]:
    """
    Fold a status move (`change`: its `fields["status"]`, `at` and `entered`) into the
    candidate's facts; the fields it set, for `update_fields`.
    """
    left, entered = change.fields["status"]
    candidate.stages_left |= STAGE_BITS[left]
    fields = ["stages_left"]
    if change.entered is not None and left in DAYS_IN:
        column = DAYS_IN[left]
        setattr(candidate, column, (getattr(candidate, column) or 0) + (change.at - change.entered) / DAY)
        fields.append(column)
    if entered == Status.HIRED and candidate.hired_at is None:
        candidate.hired_at = change.at
        fields.append("hired_at")
    return fields


def statuses(stages_left: int, status: str) -> set[str]:
    """The statuses a candidate has been in: those left, and the current one."""
    return {stage for stage, bit in STAGE_BITS.items() if stages_left & bit} | {status}
