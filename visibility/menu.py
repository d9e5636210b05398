"""An admin menu item for the district team only: the screens school staff
may not open (their URLs answer 404 to them, ``home.admin_access``) are not
offered to them either."""

from wagtail.admin.menu import MenuItem

from visibility.audience import is_district_team


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return is_district_team(request.user)
