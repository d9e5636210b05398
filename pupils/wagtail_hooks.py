from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column

import django_filters

from accounts.admin_scoping import ScopedIndexView, ScopedModelViewSet
from pupils.forms import PupilForm, manageable_pupils
from pupils.history import ConsentHistoryView
from pupils.models import (
    NO_CONSENT,
    Medium,
    Pupil,
    with_decisions,
    without_consent,
)
from pupils.views import record_consent_from_list


class ConsentFilterSet(WagtailFilterSet):
    accord = django_filters.ChoiceFilter(
        label=_("Image rights this school year"),
        choices=[(NO_CONSENT, _("No consent recorded"))],
        empty_label=_("All pupils"),
        method="filter_consent",
    )

    class Meta:
        model = Pupil
        fields = []

    def filter_consent(self, queryset, name, value):
        return without_consent(queryset) if value == NO_CONSENT else queryset


class ConsentColumn(Column):
    """A pupil's decision for one medium this school year, and the buttons
    recording another one."""

    cell_template_name = "pupils/consent_cell.html"

    def __init__(self, medium, label, short_label):
        super().__init__(f"decision_{medium}", label=label)
        self.medium = medium
        self.short_label = short_label

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(
            medium=self.medium,
            short_label=self.short_label,
            csrf_token=get_token(request),
            back=request.get_full_path(),
        )
        return context


class PupilIndexView(ScopedIndexView):
    add_item_label = _("Add a pupil")

    def get_base_queryset(self):
        return with_decisions(super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        """Beside editing and deleting: the pupil's consent history, and
        recording that the pupil left the school (``departures``, whose view
        confirms first)."""
        history = reverse("pupils:consent_history", args=[instance.pk])
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(_("Consent history"), url=history, icon_name="history"),
            MenuItem(
                _("Left the school"),
                url=reverse("departures_pupil_left", args=[instance.pk]),
                icon_name="logout",
                priority=25,
            ),
        ]


class PupilViewSet(ScopedModelViewSet):
    model = Pupil
    icon = "user"
    menu_label = _("Pupils and image rights")
    add_to_admin_menu = True
    menu_order = 260
    index_view_class = PupilIndexView
    filterset_class = ConsentFilterSet

    def scope(self, user):
        return manageable_pupils(user).select_related("classroom")

    list_display = [
        "__str__",
        "classroom",
        ConsentColumn(Medium.ENT, _("Photos on the ENT"), _("ENT")),
        ConsentColumn(Medium.WEB, _("Photos on the public web"), _("public web")),
    ]
    search_fields = ["first_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("classroom"),
            FieldPanel("first_name"),
            FieldPanel("last_initial"),
            FieldPanel("families"),
            MultiFieldPanel(
                [FieldPanel("consent_ent"), FieldPanel("consent_web")],
                heading=_("Image rights (from the form signed by the family)"),
            ),
        ],
        base_form_class=PupilForm,
    )

    def record_consent_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return record_consent_from_list(request, pk)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "consent/<int:pk>/",
                require_POST(self.record_consent_view),
                name="record_consent",
            ),
            path(
                "consent/<int:pk>/history/",
                ConsentHistoryView.as_view(),
                name="consent_history",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_pupil_viewset():
    return PupilViewSet("pupils")
