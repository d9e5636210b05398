"""The editors' guide (« Guide de l'éditeur »), in the admin.

Its one source is ``docs/guide-editeur.md``, read on GitHub as it is and
rendered here with Python-Markdown. Its screenshots live under
``ent_site/static/guide/`` (taken by ``scripts/guide_screenshots.py``) and are
linked from the Markdown by their path in the repository, which this view
turns into static URLs. Every help link of the admin leads here
(``home.wagtail_hooks``) instead of Wagtail's English guide.
"""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

import markdown

GUIDE = Path(settings.BASE_DIR) / "docs" / "guide-editeur.md"
# A screenshot, as the Markdown names it: by its path in the repository.
SCREENSHOT = re.compile(r"\]\(\.\./ent_site/static/(guide/[\w.-]+)\)")


def static_url(match):
    try:
        url = static(match.group(1))
    except ValueError:  # manifest storage, before collectstatic found it
        url = settings.STATIC_URL + match.group(1)
    return f"]({url})"


@cache
def rendered(mtime):
    """The guide's HTML, kept while its file is unchanged."""
    source = SCREENSHOT.sub(static_url, GUIDE.read_text(encoding="utf-8"))
    # Our own file, from the repository: its HTML is trusted.
    html = markdown.markdown(source, extensions=["tables", "toc", "sane_lists"])
    # The page's title is the admin header's: the guide starts at level 2.
    return re.sub(r"<h1[^>]*>.*?</h1>\s*", "", html, count=1, flags=re.S)


def guide_html():
    return mark_safe(rendered(GUIDE.stat().st_mtime))  # noqa: S308


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "home/editor_guide.html"
    page_title = _("Editor's guide")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide": guide_html()}
