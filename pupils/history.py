"""A pupil's consent history (« Historique des accords »): every decision
recorded about their image, for each medium and school year, who recorded it
(the family, the director, the district team…) and when.

Read from the consents themselves, not from the audit log: they are kept as
long as the pupil is, the log's entries only ``ENT_AUDIT_LOG_DAYS``. Reached
from the pupils listing; the same people see it (``manageable_pupils``):
their school's pupils for a director, every pupil for the district team."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.forms import MAX_ID
from accounts.models import Membership
from accounts.scopes import classrooms_managed_by
from pupils.forms import manageable_pupils
from visibility.audience import is_district_team


def recorded_by_label(person, pupil):
    """Who recorded a decision about ``pupil``, as the director reads it:
    « la famille (Jeanne Martin) », « la direction (Sophie Lefèvre) »…"""
    if person is None:
        return _("a deleted account")
    names = {"name": person.get_full_name().strip() or person.get_username()}
    if pupil.families.filter(pk=person.pk).exists():
        return _("the family (%(name)s)") % names
    if is_district_team(person):
        return _("the district team (%(name)s)") % names
    if classrooms_managed_by(person).filter(pk=pupil.classroom_id).exists():
        return _("the school's director (%(name)s)") % names
    if Membership.objects.filter(
        user=person, role=Membership.Role.TEACHER, classroom_id=pupil.classroom_id
    ).exists():
        return _("the teacher (%(name)s)") % names
    return names["name"]


class ConsentHistoryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "pupils/consent_history.html"
    header_icon = "history"
    page_title = gettext_lazy("Consent history")

    def dispatch(self, request, pk):
        if pk > MAX_ID:
            pk = 0
        self.pupil = get_object_or_404(
            manageable_pupils(request.user).select_related("classroom"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.pupil)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("pupils:index"), "label": _("Pupils and image rights")},
            {
                "url": "",
                "label": _("Consent history of %(pupil)s") % {"pupil": self.pupil},
            },
        ]

    def get_context_data(self, **kwargs):
        consents = list(
            self.pupil.image_consents.select_related("recorded_by").order_by(
                "-recorded_at", "-pk"
            )
        )
        labels = {}
        for consent in consents:
            key = consent.recorded_by_id
            if key not in labels:
                labels[key] = recorded_by_label(consent.recorded_by, self.pupil)
            consent.recorded_by_label = labels[key]
        return super().get_context_data(**kwargs, pupil=self.pupil, consents=consents)
