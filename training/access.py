"""Who may do what in the training space. The pedagogical advisers (CPC,
ERUN) belong to the district team: they manage sessions, registrations and
attendance. Everyone else reaches a session only if its audience admits
them, on every URL of the session as on its page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from training.models import TrainingSessionPage
from visibility.audience import access_for, can_view


def manages_training(user):
    """The district team (IEN, CPC, ERUN) and administrators."""
    return user.is_authenticated and access_for(user).team


def is_staff_member(user):
    """A teacher or a director: those who register and owe the 18 hours."""
    return bool(access_for(user).roles & {"teacher", "director"})


def session_for(request, session_id):
    """The live session ``session_id`` if ``request.user`` may see it; a
    missing session is a 404, one they may not see a 403 that names
    nothing (as its page would answer)."""
    session = (
        TrainingSessionPage.objects.live().filter(pk=session_id).specific().first()
    )
    if session is None:
        raise Http404
    if not can_view(request.user, session):
        raise PermissionDenied
    return session


def managed_session(request, session_id):
    """``session_for``, for the district team only (others: 404)."""
    if not manages_training(request.user):
        raise Http404
    return session_for(request, session_id)
