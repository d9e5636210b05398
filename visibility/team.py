"""The district team's own admin screens: each refuses anyone else by its
own check, besides the admin's allowlist (``home.admin_access``), and is
offered in the menu to the team only."""

from django.http import Http404

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from visibility.audience import is_district_team


def require_team(user):
    """A 404 for anyone but the district team, as for any admin URL school
    staff may not open."""
    if not (user.is_authenticated and is_district_team(user)):
        raise Http404


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return is_district_team(request.user)


class TeamAdminView(WagtailAdminTemplateMixin):
    """Mixed in an admin view of the team's own: refused to anyone else,
    under « Accueil › its title »."""

    def dispatch(self, request, *args, **kwargs):
        require_team(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
