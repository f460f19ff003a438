"""The door's own pages: its sign-in page, its language switch and the admin's answer to door staff."""

import pytest
from django.test import Client

from .checkin_factories import make_staff


@pytest.fixture
def door_client(db):
    client = Client()
    client.force_login(make_staff())
    return client


def test_scanner_sends_a_visitor_to_the_door_sign_in_in_their_language(client, conference):
    response = client.get("/ru/checkin/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/login/?next=/ru/checkin/"
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Вход для сотрудников на входе</h1>" in page
    assert "/accounts/signup/" not in page and "Создать аккаунт" not in page


def test_the_attendee_sign_in_still_offers_an_account(client, db):
    page = client.get("/accounts/login/?next=/my/").content.decode()
    assert "Create an account" in page and "Door staff sign-in" not in page


def test_scanner_in_russian_has_the_russian_conference_name_and_a_language_switch(door_client, conference):
    page = door_client.get("/ru/checkin/", {"q": "Ольга"}).content.decode()
    assert "<title>Отметка на входе · Снижение вреда в новых условиях</title>" in page
    assert "Harm Reduction in the New Environment" not in page
    assert 'href="/checkin/?q=%D0%9E%D0%BB%D1%8C%D0%B3%D0%B0" lang="en"' in page
    english = door_client.get("/checkin/").content.decode()
    assert 'href="/ru/checkin/" lang="ru"' in english


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_admin_answers_door_staff_with_no_access_instead_of_a_redirect(door_client, path):
    response = door_client.get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>No access to the admin</h1>" in page and 'href="/checkin/"' in page


def test_admin_answers_door_staff_in_the_browser_language(door_client):
    response = door_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert response.status_code == 403 and response["Content-Language"] == "ru"
    page = response.content.decode()
    assert "<h1>Нет доступа к админке</h1>" in page and 'href="/ru/checkin/"' in page


def test_admin_still_opens_for_organisers(db, client, organiser):
    assert client.get("/admin/").status_code == 200


def test_admin_still_sends_a_visitor_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
