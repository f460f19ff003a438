"""How sign-in works on this site (docs/contract.md, "Sign-in"): everyone, organisers included, signs in through
django-allauth at /accounts/login/ with its rate limits; the admin needs a verified email; signing out
needs a POST; allauth's emails go through the mail queue."""

import secrets

from allauth.account import signals as account_signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from .email_proof import normalise_email
from .mail import queue_email
from .permissions import is_door_staff

ADMIN_PREFIX = "/admin/"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render as allauth does, but queue the message (conference/mail.py) so that a slow or dead mail
        server never holds a sign-up, a password reset or a confirmation request."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_email(self.render_mail(template_prefix, email, ctx))

    def populate_username(self, request, user):
        """A token username (new_username) instead of allauth's generator, which tries candidates derived from
        the address against the whole user table, case-insensitively, on every sign-up."""
        if not user.username:
            user.username = new_username()


def email_is(email, field="email"):
    """A filter for `field` equal to `email` regardless of case, in the form the lower() indexes of
    conference/migrations/0006 serve (`__iexact` is UPPER() on PostgreSQL and LIKE on SQLite: neither uses them)."""
    return Q(Exact(Lower(field), email.lower()))


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


class AdminAccessMiddleware:
    """A signed-in account without admin access (door staff, attendees) gets a "no access" page at /admin/, in
    its language, instead of Wagtail's redirect to sign-in, which allauth sends straight back to /admin/ for a
    signed-in visitor: a redirect loop."""

    OPEN_PATHS = (f"{ADMIN_PREFIX}login/", f"{ADMIN_PREFIX}logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(ADMIN_PREFIX)
            and not request.path.startswith(self.OPEN_PATHS)
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            return no_admin_access(request)
        return self.get_response(request)


def visitor_language(request):
    """The language of a visitor on an address without a language prefix (/admin/ is outside i18n_patterns, so
    LocaleMiddleware answers English): the account's admin language if chosen, else the browser's."""
    profile = getattr(request.user, "wagtail_userprofile", None)
    chosen = getattr(profile, "preferred_language", "") or ""
    if chosen[:2] in dict(settings.LANGUAGES):
        return chosen[:2]
    return translation.get_language_from_request(request, check_path=False)


def no_admin_access(request):
    """403: the admin is for organisers; door staff are pointed at the scanner, everyone at their own page."""
    with translation.override(visitor_language(request)):
        response = render(
            request,
            "conference/no_admin_access.html",
            {"door_staff": is_door_staff(request.user)},
            status=403,
        )
        response.headers["Content-Language"] = translation.get_language()
    return response


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


# Set in the session whose visitor chose or typed the account's password (sign-up, reset, change, a sign-in with
# it): a proof of the account's address in that same session leaves the password alone. Any other proof takes the
# address away from whoever chose the password.
PASSWORD_HOLDER_SESSION_KEY = "conference_password_holder_of"


PASSWORD_CLEARED_MESSAGE = gettext_lazy(
    "Your address is confirmed. The password chosen when the account was made was not chosen in this browser, so "
    "for your safety it no longer works: sign in with an emailed code, or choose a new password."
)


def remember_password_holder(request, user, **kwargs):
    """Receiver of allauth's user_signed_up, password_set, password_changed and password_reset."""
    if request is not None and hasattr(request, "session") and user is not None:
        request.session[PASSWORD_HOLDER_SESSION_KEY] = user.pk


def remember_password_sign_in(request, user, method, **kwargs):
    """Receiver of allauth's authentication_step_completed: a right password counts like choosing it (an account
    made by createsuperuser confirms its address after its first sign-in)."""
    if method == "password":
        remember_password_holder(request, user)


def _holds_password(request, user):
    session = getattr(request, "session", None)
    return session is not None and session.get(PASSWORD_HOLDER_SESSION_KEY) == user.pk


def take_unproven_account(user):
    """The account's address was never proven until now, by someone other than whoever chose its password: that
    someone may be a stranger who signed up with the address (pre-hijacking), so their password must not survive.
    Changing the password also ends every session the account had (Django checks the password's hash)."""
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])


def _was_unproven(user, proven_address_pk):
    return not EmailAddress.objects.filter(user=user, verified=True).exclude(pk=proven_address_pk).exists()


def drop_password_of_unproven_account(request, email_address, **kwargs):
    """Receiver of allauth's email_confirmed (the confirmation link of a sign-up): when the link is opened
    anywhere but in the session that signed up, the person who opened it owns the address, not the password."""
    user = email_address.user
    if _was_unproven(user, email_address.pk) and not _holds_password(request, user) and user.has_usable_password():
        take_unproven_account(user)
        if request is not None:
            messages.info(request, PASSWORD_CLEARED_MESSAGE)


@transaction.atomic
def account_for_proven_email(email, request=None):
    """The account that owns `email`, which the caller has just seen proven (an emailed code or link), with the
    address verified and primary; created without a password when there is none.

    The prover owns the address. An account that claimed it without ever proving it (a sign-up never confirmed)
    keeps its row but loses its password, unless the proof comes from the session that chose that password. A
    verified account elsewhere that merely listed the address unverified loses the address, nothing else. Accounts
    made by staff tools (createsuperuser, the admin's user form) have no address record: they are trusted."""
    email = normalise_email(email)
    User = get_user_model()
    addresses = list(EmailAddress.objects.select_for_update().select_related("user").filter(email_is(email)))
    owner = next((address.user for address in addresses if address.verified), None)
    for address in addresses:
        if address.verified or address.user == owner:
            continue
        if owner is None and _was_unproven(address.user, address.pk):
            owner = address.user
            if not _holds_password(request, owner):
                take_unproven_account(owner)
        else:
            address.delete()  # another, proven account listed this address without proving it
    if owner is None:
        owner = User.objects.filter(email_is(email)).order_by("pk").first()
    if owner is None:
        owner = User(email=email, username=new_username())
        owner.set_unusable_password()
        owner.save()
    address = EmailAddress.objects.filter(email_is(email), user=owner).first()
    if address is None:
        address = EmailAddress.objects.create(user=owner, email=email)
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not EmailAddress.objects.filter(user=owner, primary=True).exists():
        address.set_as_primary()
    return owner


def new_username():
    """A unique username without looking at the user table: sign-in is by email, the username is never shown.
    (allauth's generator tries several names against the whole table.)"""
    return f"u-{secrets.token_hex(10)}"


def connect_account_receivers():
    """Called from ConferenceConfig.ready()."""
    for name in ("user_signed_up", "password_set", "password_changed", "password_reset"):
        getattr(account_signals, name).connect(remember_password_holder, dispatch_uid=f"conference.{name}")
    account_signals.authentication_step_completed.connect(
        remember_password_sign_in, dispatch_uid="conference.remember_password_sign_in"
    )
    account_signals.email_confirmed.connect(
        drop_password_of_unproven_account, dispatch_uid="conference.drop_password_of_unproven_account"
    )
