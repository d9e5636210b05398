from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from home.audience import default_audience_under


class AudiencePageForm(WagtailAdminPageForm):
    """The edit form of an audience-bearing page.

    A new page starts with the audience of the page it is added to. Only people
    who may publish here may change the audience: for the others the field is
    shown but locked.
    """

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        adding = self.instance._state.adding
        if adding and parent_page is not None:
            self.initial["audience"] = default_audience_under(parent_page)
        if self.for_user is not None and not self.may_publish(adding, parent_page):
            field = self.fields["audience"]
            field.disabled = True
            field.help_text = _(
                "Only the people who may publish this page may change who can "
                "read it: ask your school's director."
            )

    def may_publish(self, adding, parent_page):
        if adding:
            if parent_page is None:
                return False
            return parent_page.permissions_for_user(self.for_user).can_publish_subpage()
        return self.instance.permissions_for_user(self.for_user).can_publish()
