"""What every database needs before anyone can use the site: locales, the page and collection roots,
a home page and a default site. Migrations create these once; this puts them back when they are missing
(a test framework's flush, a restored empty dump) and does nothing otherwise."""

from django.apps import apps
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage


def ensure_base_content():
    default_language = settings.LANGUAGE_CODE
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locales[default_language])
    home = HomePage.objects.filter(locale=locales[default_language]).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Harm Reduction Conferences", slug="home", live=True))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def ensure_base_content_after_migrate(**kwargs):
    """post_migrate receiver: once the last app has migrated, put back what is missing."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if kwargs.get("app_config") is with_models[-1]:
        ensure_base_content()
