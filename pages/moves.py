"""Where a restricted page may go: moving or copying a page addressed to the
people of a school or a class into another scope shows it to other people,
and that is the district team's decision (issue 12, point 2).

The rule is checked on the objects Wagtail acts on, never on the request:
by the page permission tester (``pages.mixins``), which Wagtail asks for
every move and copy, single or in bulk, in its views, forms and actions.
The forms and widgets here only make the refusals name nothing the editor
may not see.
"""

from django.utils.translation import gettext as _

from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveForm as BulkMoveForm
from wagtail.models import Page

from visibility.audience import Audience, can_view, is_district_team, visible_pages


def scope_of(page):
    from visibility.models import PageAudience

    row = PageAudience.objects.filter(page_id=page.pk).first()
    return (row.school_key, row.classroom_key) if row else (None, None)


def holds_restricted_pages(page, subtree):
    """Whether ``page`` (and, with ``subtree``, a page below it) is read by
    fewer people than everyone. A page without its row counts as restricted:
    only the team may see it."""
    from visibility.models import PageAudience

    pages = (
        Page.objects.filter(path__startswith=page.path)
        if subtree
        else Page.objects.filter(pk=page.pk)
    )
    public = PageAudience.objects.filter(audience=Audience.PUBLIC).values("page_id")
    return pages.exclude(pk__in=public).exists()


def leaves_its_scope(page, destination, subtree=True):
    """Whether putting ``page`` under ``destination`` would read restricted
    pages in another scope (and so show them to other people)."""
    if not holds_restricted_pages(page, subtree):
        return False
    return scope_of(page.get_parent()) != scope_of(destination)


def may_take_to(user, page, destination, subtree=True):
    """Whether ``user`` may move (or copy) ``page`` under ``destination`` as
    far as audiences go: the district team always may."""
    return is_district_team(user) or not leaves_its_scope(page, destination, subtree)


def scope_refusal(action):
    if action == "copy":
        return _(
            "This page is addressed to the people of its school or class: only "
            "the district team may copy it elsewhere."
        )
    return _(
        "This page is addressed to the people of its school or class: only "
        "the district team may move it elsewhere."
    )


def restrict_chooser(field, user):
    """Limit a page field to the pages ``user`` may see; its widget, which
    shows the chosen page again after an error, names no other (a crafted id
    is shown as nothing chosen)."""
    field.queryset = visible_pages(field.queryset, user)
    find = field.widget.get_instance

    def seen_instance(value):
        page = find(value)
        return page if page is None or can_view(user, page) else None

    field.widget.get_instance = seen_instance


class ScopedCopyForm(CopyForm):
    """Wagtail's copy form, whose destination is chosen among the pages the
    editor may see (its messages name the destination), and which says why
    a restricted page may not leave its scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_district_team(self.user):
            # An alias follows its source's later changes, audience included,
            # into the place it was made: the district team's alone.
            self.fields.pop("alias", None)
        restrict_chooser(self.fields["new_parent_page"], self.user)
        self.fields["new_parent_page"].error_messages["invalid_choice"] = _(
            "Choose the new parent page among those you may see."
        )

    def clean(self):
        cleaned = super().clean()
        destination = cleaned.get("new_parent_page")
        recursive = bool(cleaned.get("copy_subpages"))
        if destination is not None and not may_take_to(
            self.user, self.page, destination, recursive
        ):
            self._errors["new_parent_page"] = self.error_class([scope_refusal("copy")])
        return cleaned


class ScopedBulkMoveForm(BulkMoveForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_chooser(self.fields["chooser"], user)
        self.fields["chooser"].error_messages["invalid_choice"] = _(
            "Choose the new parent page among those you may see."
        )


class ScopedMoveBulkAction(MoveBulkAction):
    """Wagtail's bulk move, whose destination is chosen among the pages the
    editor may see (its confirmation page names the destination)."""

    form_class = ScopedBulkMoveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}
