"""The director's view of invitations: the families and teachers of their
school (every school for the district team), whether each has activated
their account, and the actions that invite them. Anything of another school
is a 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import Membership
from accounts.scopes import (
    classrooms_managed_by,
    manageable_memberships,
    manages_a_school,
)
from invitations.emails import invite
from invitations.models import Invitation, not_activated
from invitations.sheets import login_sheets

PER_PAGE = 50
INVITED_ROLES = [Membership.Role.FAMILY, Membership.Role.TEACHER]


def require_manager(request):
    if not manages_a_school(request.user):
        raise Http404


def invited_memberships(user):
    return manageable_memberships(user).filter(role__in=INVITED_ROLES)


def chosen_classroom(request, classrooms):
    """The class of ``?classe=`` among ``classrooms``; 404 for any other."""
    value = request.GET.get("classe") or request.POST.get("classe")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(classrooms, pk=value)


class InvitationIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "invitations/admin/index.html"
    page_title = gettext_lazy("Invitations")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        require_manager(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        classrooms = classrooms_managed_by(user).live()
        classroom = chosen_classroom(self.request, classrooms)
        memberships = invited_memberships(user).order_by(
            "school__title",
            "classroom__title",
            "role",
            "user__last_name",
            "user__first_name",
            "user__username",
        )
        if classroom is not None:
            memberships = memberships.filter(classroom=classroom)
        paginator = WagtailPaginator(memberships, PER_PAGE)
        rows = paginator.get_page(self.request.GET.get("p"))
        invitations = Invitation.objects.in_bulk(
            [membership.user_id for membership in rows]
        )
        for membership in rows:
            membership.invitation = invitations.get(membership.user_id)
            membership.activated = membership.user.has_usable_password()
        waiting = not_activated().filter(
            pk__in=(
                memberships.values("user")
                if classroom
                else invited_memberships(user).values("user")
            )
        )
        context.update(
            rows=rows,
            elided_page_range=paginator.get_elided_page_range(rows.number),
            classrooms=classrooms,
            classroom=classroom,
            waiting_with_email=waiting.exclude(email="").count(),
            waiting_without_email=waiting.filter(email="").count(),
        )
        return context


def back_to_index(request):
    url = reverse("invitations_index")
    classe = request.POST.get("classe", "")
    return redirect(f"{url}?classe={classe}" if classe.isdigit() else url)


def report(request, count):
    if count:
        messages.success(
            request,
            ngettext(
                "An invitation is being sent to %(count)d person.",
                "Invitations are being sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "Nobody was invited: everyone listed has activated their "
                "account, has no e-mail address or was invited less than five "
                "minutes ago."
            ),
        )


@require_POST
def send_all(request):
    """Invite everyone listed who has not activated their account (in the
    chosen class, if any)."""
    require_manager(request)
    memberships = invited_memberships(request.user)
    classroom = chosen_classroom(request, classrooms_managed_by(request.user))
    if classroom is not None:
        memberships = memberships.filter(classroom=classroom)
    model = Membership._meta.get_field("user").related_model
    report(request, invite(model.objects.filter(pk__in=memberships.values("user"))))
    return back_to_index(request)


@require_POST
def send_one(request, pk):
    """Invite one person again (a newer link voids the previous one)."""
    require_manager(request)
    memberships = invited_memberships(request.user).filter(user_id=pk)
    if not memberships.exists():
        raise Http404
    model = Membership._meta.get_field("user").related_model
    report(request, invite(model.objects.filter(pk=pk)))
    return back_to_index(request)


@require_POST
def print_sheets(request, pk):
    """The login sheets of a class, with new codes (the previous ones stop
    working)."""
    require_manager(request)
    classroom = get_object_or_404(classrooms_managed_by(request.user), pk=pk)
    pdf, pages = login_sheets(classroom)
    if not pages:
        messages.info(
            request,
            _(
                "No sheet to print: every family of this class has activated "
                "their account or has an e-mail address."
            ),
        )
        return redirect(f"{reverse('invitations_index')}?classe={classroom.pk}")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"fiches-de-connexion-{slugify(classroom.title)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
