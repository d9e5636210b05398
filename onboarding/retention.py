"""How long an import is kept: its preview (names of pupils and guardians)
and, if it never ran, its file, ``ENT_IMPORT_DAYS`` after the upload. The
audit log keeps that it was applied, with its counts."""

import datetime

from django.conf import settings
from django.utils import timezone

from onboarding.models import OndeImport


def purge_old_imports(now=None):
    """Delete the imports uploaded more than ``ENT_IMPORT_DAYS`` ago, except
    one still waiting or running; return how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ENT_IMPORT_DAYS)
    old = OndeImport.objects.filter(uploaded_at__lt=limit).exclude(
        status__in=[OndeImport.Status.QUEUED, OndeImport.Status.RUNNING]
    )
    return old.delete()[1].get(OndeImport._meta.label, 0)
