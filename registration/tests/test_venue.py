"""A venue full of people (issue 25): with the venue's per-address figures 200 visitors behind one address all
register; a registration desk (/kiosk/, authorised by staff) is not limited per address; six wrong codes for
one pending registration still lock it, at the desk too."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from conference.email_proof import MAX_FAILED_ATTEMPTS
from conference.permissions import DOOR_STAFF
from conference.settings.base import ACCOUNT_RATE_LIMITS as PRODUCTION_RATE_LIMITS
from registration.models import Registration

from .registration_factories import make_type, make_user
from .test_one_flow import URL, code_from, visitor_post

pytestmark = pytest.mark.django_db

VENUE = "203.0.113.7"
VISITORS = 200


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """client.post that runs the after-commit callbacks (the emails) as a real commit would."""

    def post(path, data, *, using):
        with django_capture_on_commit_callbacks(execute=True):
            return using.post(path, data)

    return post


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = dict(PRODUCTION_RATE_LIMITS)  # the test settings switch the limits off
    return settings


def register_one(client, post, workshop, number):
    email = f"visitor{number}@example.org"
    assert post(URL, visitor_post(workshop, email=email), using=client).status_code == 302
    [message] = [m for m in mail.outbox if m.to == [email]]
    return post("/register/confirm/", {"code": code_from(message)}, using=client)


def wrong_codes_lock(client, post, workshop):
    post(URL, visitor_post(workshop, email="typo@example.org"), using=client)
    [message] = [m for m in mail.outbox if m.to == ["typo@example.org"]]
    right = code_from(message)
    wrong = "000000" if right != "000000" else "111111"
    pages = [post("/register/confirm/", {"code": wrong}, using=client) for _ in range(MAX_FAILED_ATTEMPTS + 1)]
    assert [page.status_code for page in pages] == [400] * (MAX_FAILED_ATTEMPTS + 1)
    assert "Too many wrong codes" in pages[MAX_FAILED_ATTEMPTS - 1].content.decode()
    assert post("/register/confirm/", {"code": right}, using=client).get("Location") != "/my/"
    assert not Registration.objects.filter(user__email="typo@example.org").exists()


def test_200_visitors_from_one_address_register_with_the_venue_settings(production_limits, post, conference):
    # What a venue sets in its environment (README: RATE_LIMIT_CODES_*_PER_ADDRESS), as production settings read it.
    limits = production_limits.ACCOUNT_RATE_LIMITS
    limits["email_code_send"] = "2000/10m/ip,3/10m/key"
    limits["email_code_check"] = "4000/10m/ip"
    workshop = make_type(conference, capacity=VISITORS)
    pages = [register_one(Client(REMOTE_ADDR=VENUE), post, workshop, n) for n in range(VISITORS)]
    assert [page.get("Location") for page in pages] == ["/my/"] * VISITORS
    assert Registration.objects.filter(registration_type=workshop, status="confirmed").count() == VISITORS
    wrong_codes_lock(Client(REMOTE_ADDR=VENUE), post, workshop)


def test_the_default_limit_per_address_stops_a_flood_that_a_desk_lets_through(production_limits, post, conference):
    limits = production_limits.ACCOUNT_RATE_LIMITS
    limits["email_code_send"] = "5/10m/ip,3/10m/key"  # a small figure stands for any: the desk ignores it
    workshop = make_type(conference, capacity=50)
    street = Client(REMOTE_ADDR=VENUE)
    statuses = [
        post(URL, visitor_post(workshop, email=f"s{n}@example.org"), using=street).status_code for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]

    desk = Client(REMOTE_ADDR=VENUE)
    staff = make_user("desk.staff@example.org")
    staff.groups.add(Group.objects.get_or_create(name=DOOR_STAFF)[0])
    desk.force_login(staff)
    assert desk.post("/kiosk/", {"action": "start"}).status_code == 302
    assert "_auth_user_id" not in desk.session  # the staff session ends: visitors at the desk are not staff
    assert "registration desk" in desk.get("/kiosk/").content.decode()
    pages = [register_one(desk, post, workshop, 100 + n) for n in range(12)]
    # each visitor is signed out at once, so the next at the device never sees their page
    assert [page.get("Location") for page in pages] == [URL] * 12
    assert "_auth_user_id" not in desk.session
    assert Registration.objects.filter(registration_type=workshop, user__email__startswith="visitor1").count() == 12
    wrong_codes_lock(desk, post, workshop)


def test_only_staff_can_start_a_desk_and_a_forged_cookie_is_not_one(production_limits, post, conference):
    visitor = Client(REMOTE_ADDR=VENUE)
    visitor.force_login(make_user("visitor@example.org"))
    page = visitor.post("/kiosk/", {"action": "start"})
    assert page.status_code == 403
    assert "Only door staff and organisers" in page.content.decode()
    assert "conference_kiosk" not in page.cookies
    forged = Client(REMOTE_ADDR=VENUE)
    forged.cookies["conference_kiosk"] = "1:2026-01-01"
    assert "Start the registration desk" not in forged.get("/kiosk/").content.decode()
    assert "registration desk: visitors" not in forged.get("/kiosk/").content.decode()
    production_limits.ACCOUNT_RATE_LIMITS["email_code_send"] = "1/10m/ip,3/10m/key"
    workshop = make_type(conference, capacity=5)
    statuses = [
        post(URL, visitor_post(workshop, email=f"f{n}@example.org"), using=forged).status_code for n in range(2)
    ]
    assert statuses == [302, 429]


def test_russian_desk_page(client):
    assert "Стойка регистрации" in client.get("/ru/kiosk/").content.decode()
