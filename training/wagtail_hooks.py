from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from visibility.team import TeamMenuItem


@hooks.register("register_admin_menu_item")
def register_training_menu_item():
    """« Formations » in the team's admin menu: the follow-up of hours
    (a front-end page)."""
    return TeamMenuItem(
        _("Training"),
        reverse("training:follow_up"),
        name="training-hours",
        icon_name="date",
        order=290,
    )
