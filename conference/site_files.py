"""What the site answers at its root for crawlers and browsers: /robots.txt, /sitemap.xml (every page in both
languages, through wagtail.contrib.sitemaps) and /favicon.ico. Absolute links come from settings.SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

# Personal and staff pages: nothing for a search engine, in either language.
PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/my/", "/checkin/", "/register/confirm/", "/verify/")
FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"
DAY = 24 * 60 * 60


class BothLanguagesSitemap(Sitemap):
    """Wagtail's sitemap walks the site's root page, which is the English tree only: this one walks every
    translation of the root, so the Russian pages are listed too."""

    @cached_property
    def roots(self):
        return self.get_wagtail_site().root_page.get_translations(inclusive=True)

    def items(self):
        under_a_root = Q()
        for root in self.roots:
            under_a_root |= Q(path__startswith=root.path)
        return Page.objects.filter(under_a_root).live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        # Page.get_full_url builds the address from the Site row's hostname; the site's public address is
        # SITE_URL (behind a proxy the Site row may say localhost).
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = settings.SITE_URL + urlsplit(url["location"]).path
        return urls


@require_safe
@cache_control(max_age=DAY, public=True)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": BothLanguagesSitemap})


@require_safe
@cache_control(max_age=DAY, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    for language in ("", "/ru"):
        lines += [f"Disallow: {language}{prefix}" for prefix in PRIVATE_PREFIXES if not prefix.startswith("/admin")]
    lines += ["Disallow: /admin/", "", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=7 * DAY, public=True)
def favicon(request):
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
