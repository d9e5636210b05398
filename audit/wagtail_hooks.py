from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from audit.actions import ACTIONS
from audit.journal import JournalView
from audit.readers import may_read


class ReasonFormatter(LogFormatter):
    """The action's label, followed by the reason written with it."""

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason")
        if reason:
            return f"{self.label}\u00a0: {reason}"
        return str(self.label)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action)(
            type("AuditFormatter", (ReasonFormatter,), {"label": label})
        )


@hooks.register("register_admin_urls")
def register_journal_urls():
    return [
        path("journal/", JournalView.as_view(), name="audit_journal"),
        path(
            "journal/results/",
            JournalView.as_view(results_only=True),
            name="audit_journal_results",
        ),
    ]


class JournalMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read(request.user)


@hooks.register("register_reports_menu_item")
def register_journal_menu_item():
    return JournalMenuItem(
        _("Personal data log"),
        reverse("audit_journal"),
        name="personal-data-log",
        icon_name="history",
        order=1000,
    )
