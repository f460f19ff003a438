"""App configuration for the demo content builders (no models, only management commands)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo content"
