"""Site-wide template context: the conference a page belongs to, for navigation and the footer."""


def site_chrome(request):
    return {"site_url_base": __import__("django.conf").conf.settings.SITE_URL}
