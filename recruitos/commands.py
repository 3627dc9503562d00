"""Helpers the management commands share."""

import argparse
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import transaction


@contextmanager
def rolled_back_if(dry_run: bool):
    """Run the block in one transaction, rolled back at the end for a dry run."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


def objects_by_id(model, ids: list[int]) -> list:
    """The rows with these ids, in the order given; a CommandError naming any that do not exist."""
    found = model._default_manager.in_bulk(ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise CommandError(f"no {model._meta.verbose_name} with id {', '.join(missing)}")
    return [found[pk] for pk in ids]


def int_between(low: int, high: int):
    """An argparse type: a whole number from `low` to `high`, else a clear usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse
