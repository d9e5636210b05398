from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from visibility.audience import keep_access, with_access

ADMIN_ACCESS = "wagtailadmin.access_admin"


class AccessBackend(ModelBackend):
    """Django's model backend, loading the person of a session together with
    what their memberships open (``visibility.audience.access_for``): one query
    per request for both."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        rows = list(with_access(users))
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        keep_access(rows[0], rows)
        return rows[0]

    def has_perm(self, user_obj, perm, obj=None):
        """Whether the person may open the admin (asked by every page, for
        Wagtail's user bar) was read with them."""
        access = getattr(user_obj, "_ent_access", None)
        if perm == ADMIN_ACCESS and obj is None and access is not None:
            return user_obj.is_active and access.admin
        return super().has_perm(user_obj, perm, obj=obj)
