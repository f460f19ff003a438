"""The questions organisers ask every day, answered from the admin's home page in two clicks each, in Chromium on a
desktop: did Ona get her badge, what did she answer, how many seats are left, who came on day 2."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from conference.worker import drain
from registration.models import CheckIn, RegistrationType
from registration.tests.registration_factories import make_user, register

from .admin_page_data import rich_registration

pytestmark = [pytest.mark.browser]


class Clicks:
    """The organiser's clicks from the home page: each question must be answered within two."""

    def __init__(self, page, home):
        self.page, self.home, self.count = page, home, 0

    def start(self):
        self.page.goto(self.home)
        self.count = 0

    def click(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        self.count += 1


@pytest.fixture
def admin_home(browser, live_server, demo_tx):
    call_command("load_demo", "--organiser", "organiser@example.org", "--password", "a-long-pass-phrase", verbosity=0)
    ona = rich_registration()
    second_day = demo_tx.days[1]
    petras = register(make_user("petras@example.org"), demo_tx, ona.registration_type, full_name="Petras Second")
    CheckIn.objects.create(
        registration=petras,
        conference=demo_tx,
        day=second_day,
        checked_in_at=demo_tx.local_datetime(second_day).replace(hour=10),
        gate="Side door",
    )
    drain()  # the worker sends the confirmations, badges attached
    client = Client()
    client.force_login(get_user_model().objects.get(email="organiser@example.org"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    yield Clicks(page, f"{live_server.url}/admin/"), ona
    context.close()


def test_four_questions_in_two_clicks_each(admin_home):
    clicks, ona = admin_home
    page = clicks.page
    panel = page.locator("#conference-vilnius-2017-section")

    # Did Ona get her badge? What did she answer? Find her, open her registration.
    clicks.start()
    panel.get_by_label("Find a registration").fill("Richardson")
    clicks.click(panel.get_by_role("button", name="Find"))
    clicks.click(page.get_by_role("link", name="Ona Richardson"))
    assert clicks.count == 2
    emails = page.locator("#emails")
    row = emails.locator("tr", has_text="is confirmed")
    assert "Sent" in row.inner_text()
    assert f"badge-vilnius-2017-{ona.pk}.pdf" in row.inner_text()
    answers = page.locator("#answers")
    assert answers.locator("tr", has_text="Why do you come?").locator("td").inner_text() == "To learn about naloxone"
    assert answers.locator("tr", has_text="T-shirt size").locator("td").inner_text() == "M"
    page.screenshot(path=os.environ.get("ADMIN_SHOTS", "/tmp") + "/registration-page.png", full_page=True)

    # How many seats are left? On the home page, per type.
    clicks.start()
    participant = RegistrationType.objects.with_seat_counts().get(conference=ona.conference, slug="participant")
    row = panel.locator(".conference-panel__types tbody tr", has_text="Participant")
    assert row.locator("td").last.inner_text() == str(participant.seats_left)
    assert clicks.count == 0
    page.screenshot(path=os.environ.get("ADMIN_SHOTS", "/tmp") + "/admin-home.png", full_page=True)

    # Who came on day 2? One click on the day's count.
    clicks.start()
    day_two = panel.locator(".conference-panel__days tr", has_text="Wed 5 Apr")
    clicks.click(day_two.get_by_role("link"))
    assert clicks.count == 1
    listed = page.locator("table.listing tbody td.title").all_inner_texts()
    assert sorted(name.strip() for name in listed) == ["Ona Richardson", "Petras Second"]
