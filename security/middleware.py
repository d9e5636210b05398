from django.urls import reverse

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (``CONTENT_SECURITY_POLICY``) on every answer.

    The public site runs no inline script or style. Wagtail's admin still
    writes a few inline scripts (date pickers, inline panels) and style
    attributes (focal points, progress bars) that it cannot give a nonce to,
    so its pages, behind a login, also allow inline code; they still load
    nothing from another host. Its login page keeps the strict policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if is_admin_page(request.path_info):
            parts.update = {
                **(parts.update or {}),
                "script-src": [UNSAFE_INLINE],
                "style-src": [UNSAFE_INLINE],
            }
        return parts


def is_admin_page(path):
    admin = reverse("wagtailadmin_home")
    return path.startswith(admin) and not path.startswith(reverse("wagtailadmin_login"))
