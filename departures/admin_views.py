"""The departures in the admin.

- A director (or the team) records that a pupil left the school, from the
  pupils list (« A quitté l'école »), after a confirmation saying what it
  does. Another school's pupil is a 404.
- The district team lists the departing accounts (« Départs ») and records a
  member of staff's departure, handing over their pages."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.scopes import classrooms_managed_by, manages_a_school
from departures.access import pupil_left
from departures.forms import PupilLeftForm, StaffDepartureForm
from departures.models import Departure
from departures.staff import staff_left
from pupils.models import Pupil
from visibility.team import TeamAdminView


def pupils_of_schools_managed_by(user):
    """The pupils of the classes ``user`` manages, those who left included
    (so that recording it twice says so instead of a 404)."""
    return Pupil.objects.filter(classroom__in=classrooms_managed_by(user))


class PupilLeftView(WagtailAdminTemplateMixin, FormView):
    template_name = "departures/admin/pupil_left.html"
    form_class = PupilLeftForm
    page_title = gettext_lazy("Left the school")
    header_icon = "logout"

    def dispatch(self, request, *args, **kwargs):
        if not manages_a_school(request.user):
            raise Http404
        self.pupil = get_object_or_404(
            pupils_of_schools_managed_by(request.user).select_related("classroom"),
            pk=kwargs["pupil_id"],
        )
        if self.pupil.left_on is not None:
            messages.info(
                request,
                _("The departure of %(pupil)s was already recorded on %(date)s.")
                % {
                    "pupil": self.pupil,
                    "date": self.pupil.left_on.strftime("%d/%m/%Y"),
                },
            )
            return redirect("pupils:index")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.pupil)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("pupils:index"), "label": _("Pupils and image rights")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        families = []
        for family in self.pupil.families.all():
            others = family.children.filter(left_on__isnull=True).exclude(
                pk=self.pupil.pk
            )
            families.append(
                {
                    "name": family.get_full_name() or family.get_username(),
                    "keeps": [str(child) for child in others],
                }
            )
        context.update(
            pupil=self.pupil,
            families=families,
            departure_days=settings.ENT_DEPARTURE_DAYS,
        )
        return context

    def form_valid(self, form):
        reason = form.cleaned_data["reason"] or _("Left the school")
        pupil_left(self.pupil, by=self.request.user, reason=reason)
        messages.success(
            self.request,
            _(
                "%(pupil)s has left the school: their family's access to the class "
                "and the school has ended."
            )
            % {"pupil": self.pupil},
        )
        return redirect("pupils:index")


class TeamOnlyMixin(TeamAdminView):
    header_icon = "logout"


class DepartureIndexView(TeamOnlyMixin, TemplateView):
    template_name = "departures/admin/index.html"
    page_title = gettext_lazy("Departures")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["departures"] = Departure.objects.select_related(
            "user", "handed_over_to"
        ).order_by("left_on", "pk")
        context["departure_days"] = settings.ENT_DEPARTURE_DAYS
        return context


class StaffDepartureView(TeamOnlyMixin, FormView):
    template_name = "departures/admin/staff.html"
    form_class = StaffDepartureForm
    page_title = gettext_lazy("Record a staff departure")

    def get_initial(self):
        initial = super().get_initial()
        person = self.request.GET.get("personne", "")
        if person.isdigit() and len(person) < 19:
            initial["person"] = int(person)
        return initial

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("departures_index"), "label": _("Departures")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        person = data["person"]
        departure = staff_left(
            person,
            successor=data["successor"],
            by=self.request.user,
            on=data["left_on"],
            reason=data["reason"] or _("Left the school"),
        )
        successor = data["successor"]
        messages.success(
            self.request,
            _(
                "Departure of %(person)s recorded: their access has ended, their "
                "pages go to %(successor)s, and the account will be deleted on "
                "%(date)s."
            )
            % {
                "person": person.get_full_name() or person.get_username(),
                "successor": successor.get_full_name() or successor.get_username(),
                "date": departure.deletion_due_on.strftime("%d/%m/%Y"),
            },
        )
        return redirect("departures_index")
