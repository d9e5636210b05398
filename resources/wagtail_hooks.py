from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from resources.models import Subject


class SubjectViewSet(SnippetViewSet):
    """The managed list of subjects, kept by the district team."""

    model = Subject
    icon = "tag"
    menu_label = _("Library subjects")
    add_to_admin_menu = False
    list_display = ["name", "cycles", "position"]
    ordering = ["position", "name"]


register_snippet(SubjectViewSet)
