"""Findable and shareable: robots.txt, a sitemap of both languages, a favicon, and on every public page a
description, a canonical link from SITE_URL, a title of its own and Open Graph tags with the conference image."""

import io
from xml.etree import ElementTree

import lxml.html
import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from programme.models import ProgrammePage, SessionPage
from tests.test_html_validity import LANGUAGES, public_paths

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def head_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    document = lxml.html.fromstring(response.content)

    def one(xpath):
        found = document.xpath(xpath)
        assert len(found) == 1, f"{path}: {len(found)} of {xpath}"
        return found[0]

    return {
        "title": one("//head/title").text_content(),
        "description": one("//head/meta[@name='description']/@content"),
        "canonical": one("//head/link[@rel='canonical']/@href"),
        "og:image": document.xpath("//head/meta[@property='og:image']/@content"),
        "og:title": one("//head/meta[@property='og:title']/@content"),
        "images": document.xpath("//main//img/@src"),
    }


def test_robots_txt_names_the_sitemap_and_keeps_personal_pages_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert {"Disallow: /my/", "Disallow: /ru/my/", "Disallow: /admin/", "Disallow: /checkin/"} <= set(lines)


def test_sitemap_lists_every_live_page_in_both_languages_at_site_url(client, conference):
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response.status_code == 200
    locations = [node.text for node in ElementTree.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)]
    assert all(location.startswith(settings.SITE_URL + "/") for location in locations)
    for language in LANGUAGES:
        programme = ProgrammePage.objects.live().get(locale__language_code=language)
        assert settings.SITE_URL + programme.url in locations
    sessions = SessionPage.objects.live().public().count()
    assert len([location for location in locations if "/programme/" in location]) >= sessions
    assert any(location.startswith(settings.SITE_URL + "/ru/") for location in locations)


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_a_description_a_canonical_link_and_a_title_of_its_own(conference, language):
    client = Client()
    paths = [path for path in public_paths(conference, language) if "no-such-page" not in path]
    programme = ProgrammePage.objects.live().get(locale__language_code=language).url
    paths += [f"{programme}?day={day}" for day in ("2017-04-04", "2017-04-06")]
    heads = {path: head_of(client, path) for path in paths}
    for path, head in heads.items():
        assert len(head["description"]) >= 20, path
        # A preview of another moment (?at=) is the same page as the live one.
        assert head["canonical"] == settings.SITE_URL + path.split("?at=")[0], path
    titles = [head["title"] for head in heads.values()]
    assert len(set(titles)) == len(titles), sorted(titles)


def test_programme_title_names_the_day_and_the_filter(client, conference):
    head = head_of(client, "/vilnius-2017/programme/?day=2017-04-05&track=funding-after-transition")
    assert head["title"].startswith("Programme: Wednesday 5 April, ")
    russian = head_of(client, "/ru/vilnius-2017/programme/?day=2017-04-05")
    assert "Программа: среда, 5 апреля" in russian["title"]


def test_home_title_says_the_site_name_once_and_shows_the_conference_image(client, conference):
    for path, name in (("/", "Harm Reduction Conferences"), ("/ru/", "Конференции по снижению вреда")):
        head = head_of(client, path)
        assert head["title"].count(name) == 1, head["title"]
        assert head["images"], f"no image on {path}"
        assert head["og:image"][0].startswith(settings.SITE_URL + "/")


def test_a_shared_session_link_shows_a_card_with_the_conference_image(client, conference):
    session = SessionPage.objects.live().descendant_of(conference).first()
    head = head_of(client, session.url)
    assert head["og:title"] == session.title
    assert len(head["og:image"]) == 1
    image = client.get(head["og:image"][0].removeprefix(settings.SITE_URL))
    assert image.status_code == 200
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (960, 540)


def test_search_description_is_the_meta_description(client, conference):
    session = SessionPage.objects.live().descendant_of(conference).first()
    session.search_description = "A short, written description for search engines."
    session.save(update_fields=["search_description"])
    assert head_of(client, session.url)["description"] == session.search_description
