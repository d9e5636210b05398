"""Writing to the audit log: Wagtail's own log entries (``ModelLogEntry``
for any model, ``PageLogEntry`` for pages), with the ENT's actions
(``audit.actions``) and the reason in their data.

Who did it comes from the caller, else from Wagtail's log context (the
admin sets it to the signed-in person); why, from the caller, else from the
innermost ``because(…)`` block, so that a signal receiver writing the entry
knows the import, rollover or erasure it happens in."""

import contextlib
import contextvars

from wagtail.log_actions import LogContext, log

_reason = contextvars.ContextVar("audit_reason", default="")


@contextlib.contextmanager
def because(reason, user=None):
    """Within this block, entries without a reason of their own give
    ``reason``; with ``user``, they are also written in that person's name."""
    token = _reason.set(str(reason))
    try:
        if user is not None and user.is_authenticated:
            with LogContext(user=user):
                yield
        else:
            yield
    finally:
        _reason.reset(token)


def current_reason():
    return _reason.get()


def record(instance, action, *, user=None, reason="", title=None, **data):
    """Write ``action`` on ``instance`` to the log, with ``reason`` (or the
    current one) and ``data``, in ``user``'s name (or the log context's).
    ``title`` replaces the object's name (``str(instance)``) where that name
    must not be kept."""
    reason = str(reason or current_reason())
    if reason:
        data["reason"] = reason
    if user is not None and not user.is_authenticated:
        user = None
    return log(instance, action, user=user, data=data, title=title)


def ent_entries(model):
    """The entries of ``model`` (one of Wagtail's log entry models) written
    with the ENT's actions (``audit.actions``)."""
    from audit.actions import ACTIONS

    return model.objects.filter(action__in=list(ACTIONS))
