"""The one daily command (``manage.py daily``, for one cron line): every
daily task in turn, told in French; a failing task does not stop the
others; old imports leave with it."""

import datetime
import io

from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest
import time_machine

from home.management.commands import daily
from onboarding.models import OndeImport
from schools.models import SchoolPage

pytestmark = pytest.mark.django_db


def run():
    out, err = io.StringIO(), io.StringIO()
    call_command("daily", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_daily_task_runs_and_says_what_it_did():
    out, err = run()
    assert err == ""
    for name, _step in daily.STEPS:
        assert f"{name}: " in out
    assert "0 compte supprimé" in out
    assert "0 classe archivée supprimée" in out
    assert "clearsessions: fait." in out


def test_a_failing_task_does_not_stop_the_others(monkeypatch):
    def broken():
        raise RuntimeError("disque plein")

    steps = list(daily.STEPS)
    steps.insert(1, ("broken", broken))
    monkeypatch.setattr(daily, "STEPS", steps)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="ont échoué : broken"):
        call_command("daily", stdout=out, stderr=err)
    assert "disque plein" in err.getvalue()
    assert "send_digests: " in out.getvalue()  # the last step still ran


def test_imports_are_deleted_thirty_days_after_their_upload():
    school = SchoolPage.objects.get(slug="jules-ferry")

    def uploaded(days_ago, status):
        with time_machine.travel(timezone.now() - datetime.timedelta(days=days_ago)):
            return OndeImport.objects.create(
                school=school, file_name="CSVExtraction.csv", status=status
            )

    old = uploaded(31, OndeImport.Status.PREVIEWED)
    old_done = uploaded(31, OndeImport.Status.DONE)
    recent = uploaded(29, OndeImport.Status.PREVIEWED)
    running = uploaded(31, OndeImport.Status.RUNNING)

    out, _err = run()

    assert "purge_imports: 2 anciens imports supprimés." in out
    left = set(OndeImport.objects.values_list("pk", flat=True))
    assert {recent.pk, running.pk} <= left
    assert not {old.pk, old_done.pk} & left


def test_the_onde_file_of_a_year_never_opened_is_emptied_after_thirty_days():
    from schoolyear.models import Rollover

    school = SchoolPage.objects.get(slug="jules-ferry")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        prepared = Rollover.objects.create(
            school=school,
            school_year="2027-2028",
            opens_on=datetime.date(2027, 9, 1),
            source=Rollover.Source.ONDE,
            content=b"Nom;Classe",
        )
    out, _err = run()
    prepared.refresh_from_db()
    assert bytes(prepared.content) == b""
    assert "purge_imports: 1 ancien import supprimé." in out
