"""What every database needs before anyone can use the site: locales, the page and collection roots,
a home page and a default site. Migrations create these once; this puts them back when they are missing
(a test framework's flush, a restored empty dump) and does nothing otherwise."""

from django.conf import settings


def ensure_base_content():
    from wagtail.models import Collection, Locale, Page, Site

    from home.models import HomePage

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
