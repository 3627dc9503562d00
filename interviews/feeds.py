"""
A calendar feed's address ends for good when its user may no longer see interviews.

The address is signed over the user and the feed's version (`interviews.calendars`); a fetch
checks that the user is active and may view interviews. That alone would let an address work
again once the user is reactivated or given a role back. So whenever access may have ended
(`recruitos.access`: the user deactivated or saved without it, a role or permission taken from
the user, a permission taken from a role, a role deleted), the version of the feeds of the users
who lost it moves: their addresses stay ended, and a new one is made on request.
"""

from django.contrib.auth import get_user_model
from django.db.models import F

from interviews.models import CalendarFeed
from recruitos import access

PERMISSION = "interviews.view_interview"


def end_feeds_without_access(user_ids) -> int:
    """Move the feed version of those of `user_ids` who are inactive or may not view interviews; how many."""
    feeds = CalendarFeed.objects.filter(user_id__in=list(user_ids))
    users = get_user_model().objects.filter(pk__in=feeds.values("user_id"))
    ended = [user.pk for user in users if not (user.is_active and user.has_perm(PERMISSION))]
    return CalendarFeed.objects.filter(user_id__in=ended).update(version=F("version") + 1) if ended else 0


def _access_lost(sender, user_ids, **kwargs):
    end_feeds_without_access(user_ids)


def connect() -> None:
    access.watch()
    access.access_lost.connect(_access_lost, dispatch_uid="feeds-access-lost")
