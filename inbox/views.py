from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from inbox.feed import SOURCES, feed_for, mark_read
from inbox.forms import NotificationChoiceForm
from inbox.models import NotificationChoice, Recipient
from inbox.notifications import UNSUBSCRIBE_SALT
from pages.pagination import paginate_by_key


@login_required
def my_feed(request):
    source = request.GET.get("source")
    if source not in SOURCES:
        source = None
    news = feed_for(request.user, source)
    return render(
        request,
        "inbox/my_feed.html",
        {
            "news_page": paginate_by_key(request, news, per_page=20),
            "sources": SOURCES,
            "source": source,
        },
    )


@require_POST
@login_required
def acknowledge(request, page_id):
    """ "J'ai pris connaissance": recorded once, whatever the number of
    clicks."""
    recipient = Recipient.objects.filter(
        page_id=page_id, user=request.user, asked_to_acknowledge=True
    ).first()
    if recipient is None:
        raise Http404
    Recipient.objects.filter(pk=recipient.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    mark_read(request.user, page_id)
    messages.success(request, _("Thank you: your acknowledgement is recorded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "my_feed"
    return redirect(target)


@require_POST
@login_required
def notification_choice(request):
    form = NotificationChoiceForm(request.POST)
    if form.is_valid():
        NotificationChoice.objects.update_or_create(
            user=request.user, defaults={"frequency": form.cleaned_data["frequency"]}
        )
        messages.success(request, _("Your choice of e-mails is recorded."))
    else:
        messages.error(request, _("Choose one of the proposed options."))
    return redirect("my_account")


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """The link at the bottom of every e-mail: no login, a signed token. A
    GET shows one button (mail scanners open links); a POST, from that button
    or from a mail client's one-click unsubscribe, stops the e-mails."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=user_id)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return render(request, "inbox/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        NotificationChoice.objects.update_or_create(
            user=user, defaults={"frequency": NotificationChoice.Frequency.NEVER}
        )
        done = True
    return render(request, "inbox/unsubscribe.html", {"done": done, "person": user})
