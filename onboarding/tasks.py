"""Applying an ONDE import in the background, with its progress.

The task goes through the database queue already worked for the e-mails
(``manage.py db_worker --backend notifications``): no other worker to run.
"""

from django.utils.translation import gettext as _

from django_tasks import task

from audit.log import because, record
from onboarding.matching import Plan
from onboarding.models import OndeImport
from onboarding.onde import OndeFileError, read_onde


def planned_again(make_plan, onde_import):
    """(plan, "") for the stored file of ``onde_import`` planned again by
    ``make_plan(content)`` against what the database holds now, or
    (None, why) when the file no longer reads or a line has a problem."""
    try:
        plan = make_plan(bytes(onde_import.content))
    except OndeFileError as error:
        return None, str(error)
    if plan.problems:
        line, problem = plan.problems[0]
        return None, _("Line %(line)s: %(problem)s") % {
            "line": line,
            "problem": problem,
        }
    return plan, ""


def run_import(onde_import):
    """Apply ``onde_import`` from its stored file, planned again against what
    the database holds now; then forget the file."""
    Status = OndeImport.Status
    OndeImport.objects.filter(pk=onde_import.pk).update(status=Status.RUNNING)
    plan, message = planned_again(
        lambda content: Plan(onde_import.school, read_onde(content)), onde_import
    )
    if message:
        # Something changed since the preview (a class renamed or deleted):
        # nothing is written, and the file is forgotten.
        OndeImport.objects.filter(pk=onde_import.pk).update(
            status=Status.FAILED, error=message, content=b""
        )
        return False

    def progress(done, total):
        OndeImport.objects.filter(pk=onde_import.pk).update(done=done, total=total)

    try:
        with because(import_reason(onde_import), onde_import.uploaded_by):
            plan.apply(progress)
    except Exception:
        # What was written stays (whole batches); importing the file again
        # finishes the job.
        OndeImport.objects.filter(pk=onde_import.pk).update(
            status=Status.FAILED,
            error=_("An unexpected error stopped the import: import the file again."),
        )
        raise
    OndeImport.objects.filter(pk=onde_import.pk).update(
        status=Status.DONE, content=b"", done=len(plan.pupils), total=len(plan.pupils)
    )
    log_applied(onde_import, plan.counts())
    return True


def import_reason(onde_import):
    """Why the memberships an import writes changed, in the audit log."""
    if onde_import.kind == OndeImport.Kind.STAFF:
        return _("Staff import of %(file)s") % {"file": onde_import.file_name}
    return _("ONDE import of %(file)s") % {"file": onde_import.file_name}


def log_applied(onde_import, counts):
    """An applied import in the audit log, in its uploader's name."""
    record(
        onde_import,
        "ent.import.applied",
        user=onde_import.uploaded_by,
        reason=import_reason(onde_import),
        kind=onde_import.kind,
        school=onde_import.school.title if onde_import.school_id else "",
        counts=counts,
    )


@task(backend="notifications")
def apply_onde_import(import_id):
    onde_import = OndeImport.objects.filter(pk=import_id).select_related("school")
    onde_import = onde_import.first()
    if onde_import is None or onde_import.status != OndeImport.Status.QUEUED:
        return False
    return run_import(onde_import)
