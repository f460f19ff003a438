"""Root URL configuration: operational endpoints, the admin, then every public page in en and ru."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import accounts, kiosk, sign_in_by_code, site_files, views

handler400 = "conference.views.bad_request"
handler404 = "conference.views.page_not_found"
handler500 = "conference.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("sitemap.xml", site_files.sitemap, name="sitemap"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    # Before the admin's own: sign-in goes through allauth, sign-out needs a POST (docs/contract.md, "Sign-in").
    path("admin/login/", accounts.admin_login),
    path("admin/logout/", accounts.admin_logout),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Uploaded images and logos. A reverse proxy should serve /media/ itself (docs/deploying.md); this keeps
# the two-command demo and a small venue-LAN install working without one.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# English at unprefixed paths, Russian under /ru/ (docs/contract.md).
urlpatterns += i18n_patterns(
    # Before allauth's: signing in with an emailed code (allauth's own is off, docs/security.md).
    path("accounts/code/", sign_in_by_code.request_code, name="sign_in_code"),
    path("accounts/code/confirm/", sign_in_by_code.confirm_code, name="sign_in_code_confirm"),
    path("accounts/code/<str:token>/", sign_in_by_code.confirm_link, name="sign_in_code_link"),
    path("accounts/", include("allauth.urls")),
    path("kiosk/", kiosk.kiosk, name="kiosk"),
    path("", include("registration.urls")),
    path("", include("proposals.urls")),
    # Before programme.urls, whose cache-first route matches every page-like path.
    path("", include("programme.agenda_urls")),
    path("", include("programme.urls")),
    path("_util/login/", accounts.admin_login),  # Wagtail's own sign-in form has no rate limits
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
