"""Who is locked out of logging in, read from django-axes' failed attempts,
and how the district team lets them in again."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from axes.models import AccessAttempt
from axes.utils import reset


@dataclass
class Lockout:
    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: datetime

    @property
    def until(self):
        return self.last_attempt + settings.AXES_COOLOFF_TIME


def recent_attempts():
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def current_lockouts(kind):
    """Accounts (``kind="username"``) or addresses (``"ip_address"``) whose
    recent failures reach the limit, as django-axes counts them."""
    attempts = recent_attempts().exclude(**{f"{kind}__isnull": True})
    if kind == "username":
        attempts = attempts.exclude(username="")
    rows = (
        attempts.values(kind)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", kind)
    )
    return [Lockout(kind, row[kind], row["failures"], row["last"]) for row in rows]


def unlock(kind, value):
    """Forget the failures of one account or one address; returns how many
    attempt records were removed."""
    if kind == "username":
        return reset(username=value)
    return reset(ip=value)
