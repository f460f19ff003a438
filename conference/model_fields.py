"""Field shapes shared by the apps' models: an optional link to an image, page or other row."""

from django.db import models


def optional_link(to, verbose_name, **options):
    """A ForeignKey that may be empty, is emptied when its target is deleted, and adds no reverse accessor."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **options
    )
