"""How sign-in works on this site (docs/contract.md, "Sign-in"): everyone, organisers included, signs in through
django-allauth at /accounts/login/ with its rate limits; the admin needs a verified email; signing out
needs a POST; allauth's emails go through the mail queue."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.auth import logout
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from .mail import queue_email

ADMIN_PREFIX = "/admin/"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render as allauth does, but queue the message (conference/mail.py) so that a slow or dead mail
        server never holds a sign-up, a password reset or a confirmation request."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_email(self.render_mail(template_prefix, email, ctx))


def has_unverified_email_only(user):
    """True when allauth knows the account's addresses and none is verified. Accounts with no address
    record (made with createsuperuser or the admin's user form) can only get a session through allauth,
    which verifies the address before it signs them in."""
    addresses = EmailAddress.objects.filter(user=user).values_list("verified", flat=True)
    return bool(addresses) and not any(addresses)


class VerifiedEmailAdminMiddleware:
    """An account whose email is not verified cannot reach the admin: it is signed out and sent to sign
    in, where allauth asks it to verify the address first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and has_unverified_email_only(request.user)
        ):
            logout(request)
            return redirect_to_sign_in(request.get_full_path())
        return self.get_response(request)


def redirect_to_sign_in(next_url):
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@require_http_methods(["GET", "HEAD"])
def admin_login(request):
    """/admin/login/ and Wagtail's /_util/login/ lead to allauth's sign-in, keeping where to go next."""
    return redirect_to_sign_in(request.GET.get("next") or ADMIN_PREFIX)


def admin_logout(request):
    """Sign out on POST only (Wagtail's menu posts); a GET, such as a link in a page or an email, shows
    allauth's "Sign out?" confirmation instead of ending the session."""
    if request.method == "POST":
        return WagtailLogoutView.as_view()(request)
    return redirect("account_logout")
