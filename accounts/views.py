"""The members listing of the admin, with « Ajouter à une classe » above it,
and the suggestions of its search field."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.menus import MenuItem

from accounts.admin_scoping import ScopedIndexView
from accounts.forms import AddToClassForm, matching_people
from accounts.models import Membership
from accounts.scopes import people_known_to
from visibility.audience import is_district_team

SUGGESTIONS = 10


class MembershipIndexView(ScopedIndexView):
    """The members of the school, and the form adding someone to a class."""

    add_to_class_form = None
    add_item_label = gettext_lazy("Full membership form")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.results_only and self.user_has_permission("add"):
            context["add_to_class_form"] = self.add_to_class_form or AddToClassForm(
                for_user=self.request.user
            )
            context["add_to_class_url"] = reverse("memberships:add_to_class")
            context["suggestions_url"] = reverse("memberships:suggestions")
        return context

    def get_list_more_buttons(self, instance):
        """For the district team, on a teacher or a director: recording their
        departure (``departures``, which hands over their pages)."""
        buttons = super().get_list_more_buttons(instance)
        if instance.role != Membership.Role.FAMILY and is_district_team(
            self.request.user
        ):
            url = reverse("departures_staff") + f"?personne={instance.user_id}"
            buttons.append(
                MenuItem(
                    _("Record the departure"), url=url, icon_name="logout", priority=25
                )
            )
        return buttons


class AddToClassView(MembershipIndexView):
    """Adds the person found to the class; bad input shows the listing again
    with the form and its French message, and changes nothing."""

    any_permission_required = None
    permission_required = "add"

    def get(self, request, *args, **kwargs):
        if self.add_to_class_form is None:
            return redirect("memberships:index")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = AddToClassForm(request.POST, for_user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    membership = form.save()
            except IntegrityError:
                # The same person added twice at the same moment.
                form.add_error(None, _("This person already has this role here."))
            else:
                person = membership.user
                messages.success(
                    request,
                    _("%(person)s is now a member of %(class)s (%(role)s).")
                    % {
                        "person": person.get_full_name() or person.get_username(),
                        "class": membership.classroom.title,
                        "role": membership.get_role_display().lower(),
                    },
                )
                return redirect("memberships:index")
        self.add_to_class_form = form
        return self.get(request, *args, **kwargs)


def suggestions(request):
    """Up to ten people the director knows whose name or address holds what
    they typed: name and e-mail address only, nothing else."""
    text = " ".join(request.GET.get("q", "").split())[:60]
    people = []
    if len(text) >= 2:
        people = [
            {"name": person.get_full_name() or person.get_username(), "email": email}
            for person in matching_people(people_known_to(request.user), text)[
                :SUGGESTIONS
            ]
            if (email := person.email)
        ]
    return JsonResponse({"people": people})
