from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district (``seed_demo``): for development and tests only,
    never installed in production."""

    name = "demo"
