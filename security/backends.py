from axes.backends import AxesStandaloneBackend

from visibility.backends import AccessBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' guard, first of ``AUTHENTICATION_BACKENDS``: it refuses a
    locked-out login and authenticates nobody itself (``AccessBackend``, next,
    does). Tools that log people in with the first backend (Django's and
    Wagtail's test clients) get the person of a session loaded the way
    ``AccessBackend`` loads them."""

    def get_user(self, user_id):
        return AccessBackend().get_user(user_id)
