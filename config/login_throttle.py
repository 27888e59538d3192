"""Login throttling with two limits (django-axes' database handler, extended).

AXES_LOCKOUT_PARAMETERS records and counts failures two ways: per username and
address, and per address across usernames. Axes compares both counts with one
limit; here each has its own:

- AXES_FAILURE_LIMIT (5) failures for one username from one address lock that
  pair (someone guessing one person's password);
- AXES_ADDRESS_FAILURE_LIMIT (30) failures from one address, whatever the
  usernames, lock the address (someone trying many usernames), high enough that
  an office behind one NAT does not lock itself out by ordinary mistyping.

Both count failures within AXES_COOLOFF_TIME and lock for that long. A
successful login resets only its own username-and-address count, so one valid
account cannot wipe the address's count of attempts on other accounts.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressAwareHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The pair's failures, or the pair limit once the address has reached
        its own limit (axes locks when this reaches AXES_FAILURE_LIMIT)."""
        per_pair, per_address = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(per_pair, settings.AXES_FAILURE_LIMIT)
        return per_pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count
