from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from accounts.admin_scoping import ScopedModelViewSet
from accounts.scopes import classrooms_managed_by
from pupils.forms import PupilForm
from pupils.models import Pupil


def manageable_pupils(user):
    return Pupil.objects.filter(classroom__in=classrooms_managed_by(user))


class PupilViewSet(ScopedModelViewSet):
    model = Pupil
    icon = "user"
    menu_label = _("Pupils and image rights")
    add_to_admin_menu = True
    menu_order = 260

    def scope(self, user):
        return manageable_pupils(user).select_related("classroom")

    list_display = ["__str__", "classroom"]
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


@hooks.register("register_admin_viewset")
def register_pupil_viewset():
    return PupilViewSet("pupils")
