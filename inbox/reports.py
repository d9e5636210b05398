"""Read acknowledgements (DESIGN): for each news item asking for them, how
many of how many confirmed and who has not, by class, with a reminder and a
CSV export. Its author, the directors of its school and the district team see
them; anyone else gets a 404."""

import datetime
from functools import partial
from itertools import groupby

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from inbox.csv_export import acknowledgements_csv, person_name
from inbox.models import Recipient
from inbox.notifications import remind_recipients
from news.models import NewsPage
from schools.models import SchoolPage
from visibility.audience import access_for

PER_PAGE = 50
# A second click, or a colleague's, within this time reminds nobody twice.
REMIND_AGAIN_AFTER = datetime.timedelta(hours=1)


def reportable_news(user):
    """The news asking for acknowledgement whose report ``user`` may see."""
    if not user.is_authenticated:
        return NewsPage.objects.none()
    news = NewsPage.objects.filter(acknowledgement_required=True)
    access = access_for(user)
    if access.team:
        return news
    # Authors keep the reports of their news while they still teach where
    # it was published: a teacher who leaves a class keeps nothing of its
    # families.
    still_there = Q(audience_info__classroom_key__in=access.taught_classes) | Q(
        audience_info__classroom_key__isnull=True,
        audience_info__school_key__in=access.staff_schools,
    )
    return news.filter(
        (Q(owner=user) & still_there)
        | Q(audience_info__school_key__in=access.directed_schools)
    )


def asked(recipients):
    """The recipients asked to confirm: neither the author nor the directors
    of the school (``inbox.recipients.address``)."""
    return recipients.filter(asked_to_acknowledge=True)


def addressed(news):
    """Only the news that ask somebody to confirm them."""
    return news.filter(Exists(asked(Recipient.objects.filter(page_id=OuterRef("pk")))))


def report_listing(user):
    """``reportable_news`` with recipients, their counts and school, newest
    first, in one query."""
    school = SchoolPage.objects.filter(
        translation_key=OuterRef("audience_info__school_key"),
        locale_id=OuterRef("locale_id"),
    ).values("title")[:1]
    return (
        addressed(reportable_news(user))
        .annotate(
            addressed=Count(
                "recipients", filter=Q(recipients__asked_to_acknowledge=True)
            ),
            confirmed=Count(
                "recipients",
                filter=Q(
                    recipients__asked_to_acknowledge=True,
                    recipients__acknowledged_at__isnull=False,
                ),
            ),
            school_title=Subquery(school),
        )
        .order_by("-date", "-first_published_at", "-pk")
    )


class ReportIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "inbox/reports/index.html"
    page_title = _("Read acknowledgements")
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = WagtailPaginator(report_listing(self.request.user), PER_PAGE)
        news_page = paginator.get_page(self.request.GET.get("p"))
        context["news_page"] = news_page
        context["elided_page_range"] = paginator.get_elided_page_range(news_page.number)
        return context


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "inbox/reports/report.html"
    header_icon = "clipboard-list"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.news = get_object_or_404(reportable_news(request.user), pk=kwargs["pk"])

    def get_page_title(self):
        return self.news.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("acknowledgement_reports"),
                "label": _("Read acknowledgements"),
            },
            {"url": "", "label": self.news.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recipients = sorted_recipients(self.news)
        for recipient in recipients:
            recipient.name = person_name(recipient.user)
        pending = [r for r in recipients if r.acknowledged_at is None]
        confirmed = [r for r in recipients if r.acknowledged_at is not None]
        context.update(
            news=self.news,
            total=len(recipients),
            confirmed_count=len(confirmed),
            percent=round(100 * len(confirmed) / len(recipients)) if recipients else 0,
            pending_groups=[
                {
                    "label": classroom or school,
                    "recipients": list(group),
                }
                for (school, classroom), group in groupby(
                    pending, key=lambda r: (r.school_title, r.classroom_title)
                )
            ],
            pending_count=len(pending),
            confirmed=sorted(confirmed, key=lambda r: r.acknowledged_at, reverse=True),
        )
        return context


def sorted_recipients(news):
    """The recipients asked to confirm ``news``, by school, class and name."""
    return list(
        asked(Recipient.objects.filter(page_id=news.pk))
        .select_related("user")
        .order_by(
            "school_title",
            "classroom_title",
            "user__last_name",
            "user__first_name",
            "user__username",
        )
    )


def export(request, pk):
    news = get_object_or_404(reportable_news(request.user), pk=pk)
    return acknowledgements_csv(news, sorted_recipients(news))


@require_POST
def remind(request, pk):
    """Remind those who have not confirmed. Those reminded less than
    ``REMIND_AGAIN_AFTER`` ago are left out, so that a double click sends
    nothing twice."""
    news = get_object_or_404(reportable_news(request.user), pk=pk)
    report = redirect("acknowledgement_report", news.pk)
    if not news.live:
        messages.warning(
            request, _("This news item is not published: nobody was reminded.")
        )
        return report
    pending = asked(Recipient.objects.filter(page_id=news.pk)).filter(
        acknowledged_at__isnull=True
    )
    if not pending.exists():
        messages.info(request, _("Everyone has confirmed: nobody was reminded."))
        return report
    now = timezone.now()
    with transaction.atomic():
        user_ids = list(
            pending.filter(
                Q(reminded_at__isnull=True)
                | Q(reminded_at__lt=now - REMIND_AGAIN_AFTER)
            )
            .select_for_update()
            .values_list("user_id", flat=True)
        )
        if user_ids:
            pending.filter(user_id__in=user_ids).update(reminded_at=now)
            transaction.on_commit(partial(remind_recipients.enqueue, news.pk, user_ids))
    if user_ids:
        messages.success(
            request,
            ngettext(
                "A reminder is being sent to %(count)d person who has not confirmed.",
                "A reminder is being sent to the %(count)d people who have not "
                "confirmed.",
                len(user_ids),
            )
            % {"count": len(user_ids)},
        )
    else:
        messages.info(
            request,
            _(
                "Those who have not confirmed were reminded less than an hour "
                "ago: nobody was reminded again."
            ),
        )
    return report
