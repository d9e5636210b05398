from wagtail import hooks
from wagtail.log_actions import LogFormatter

from audit.actions import ACTIONS


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
