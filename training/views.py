"""Registering for a session and cancelling, from its page or « Mon fil »
(POST only): the person comes back where they were, with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from training import registration
from training.access import session_for


def back(request, session):
    """The page named by ``next`` if it is on this site, else the session's."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(session.get_url(request))


def answer(request, session, change):
    try:
        outcome = change(session, request.user)
    except registration.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        level = messages.success if outcome.changed else messages.info
        level(request, outcome.message)
    return back(request, session)


@login_required
def register(request, session_id):
    """« S'inscrire » (or join the waiting list when the session is full).
    Reached by a GET after logging in again: the session's page, where the
    button is."""
    session = session_for(request, session_id)
    if request.method != "POST":
        return redirect(session.url)
    return answer(request, session, registration.register)


@login_required
def cancel(request, session_id):
    """« Me désinscrire » or « Quitter la liste d'attente » (a GET: the
    session's page)."""
    session = session_for(request, session_id)
    if request.method != "POST":
        return redirect(session.url)
    return answer(request, session, registration.cancel)
