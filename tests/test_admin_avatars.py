"""The admin shows no picture from another host: Wagtail's Gravatar avatars are switched off (our CSP would
block them and leave broken images on every admin page)."""

from html.parser import HTMLParser

from django.conf import settings

from registration.tests.checkin_factories import ORGANISERS, make_staff


class ImageSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def test_gravatar_is_off():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


def test_admin_pages_show_no_image_from_another_host(client, conference):
    organiser = make_staff(group=ORGANISERS)
    organiser.is_superuser = True
    organiser.save()
    client.force_login(organiser)
    sources = []
    for path in ("/admin/", "/admin/pages/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 200, path
        parser = ImageSources()
        parser.feed(response.content.decode())
        sources += parser.sources
    assert any("avatar" in source for source in sources), sources  # the avatar is there, from our own files
    assert [source for source in sources if source.startswith(("http:", "https:", "//"))] == []
