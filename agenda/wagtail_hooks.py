"""« Vacances scolaires » in the admin's settings, for the district team
only: school staff get a 404 as for any admin URL off their allowlist
(``home.admin_access``), and the permission policy refuses anyone else."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from agenda.models import SchoolHoliday
from visibility.audience import is_district_team


class TeamOnlyPolicy(ModelPermissionPolicy):
    """Every action for the district team, none for anyone else."""

    def user_has_permission(self, user, action):
        return user.is_authenticated and is_district_team(user)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)


class SchoolHolidayViewSet(ModelViewSet):
    model = SchoolHoliday
    icon = "date"
    menu_label = _("School holidays")
    add_to_settings_menu = True
    url_prefix = "vacances-scolaires"
    list_display = ["name", "first_day", "last_day"]
    form_fields = ["name", "first_day", "last_day"]
    ordering = ["-first_day"]


register_permission_policy(SchoolHoliday, TeamOnlyPolicy(SchoolHoliday))


@hooks.register("register_admin_viewset")
def register_school_holiday_viewset():
    return SchoolHolidayViewSet("school_holidays")
