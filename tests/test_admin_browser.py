"""An organiser made by load_demo signs in (through allauth) to the Wagtail admin in a real browser and publishes
a change."""

import pytest
from django.core.management import call_command

from conference.models import ConferencePage


@pytest.mark.browser
def test_organiser_signs_in_edits_and_publishes_the_conference_page(demo_tx, live_server, browser):
    call_command("load_demo", "--organiser", "organiser@example.org", "--password", "a-long-pass-phrase", verbosity=0)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # The admin's sign-in is allauth's (CONTRACT.md, "Sign-in"): /admin/login/ leads there and back.
    page.goto(f"{live_server.url}/admin/login/")
    page.wait_for_url(f"{live_server.url}/accounts/login/?next=%2Fadmin%2F")
    page.fill("input[name=login]", "organiser@example.org")
    page.fill("input[name=password]", "a-long-pass-phrase")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{demo_tx.pk}/edit/")
    page.fill("input[name=tagline]", "Published from the admin by an organiser")
    # Wagtail keeps "Publish" in the footer's action menu, behind the toggle next to "Save draft".
    page.click("footer .dropdown-toggle, [data-w-dropdown-target='toggle'] >> nth=-1")
    page.click("button[name=action-publish]")
    page.wait_for_url(f"{live_server.url}/admin/pages/*/")
    context.close()

    demo_tx.refresh_from_db()
    assert demo_tx.live
    assert ConferencePage.objects.get(pk=demo_tx.pk).tagline == "Published from the admin by an organiser"
    public = browser.new_page()
    public.goto(f"{live_server.url}/vilnius-2017/")
    assert "Published from the admin by an organiser" in public.content()
    public.close()
