"""Pictures through Wagtail: the hero, speaker photos and logos come as renditions with srcset, modern formats,
width, height and alt text; speakers without a photo get an initials avatar; the demo draws its own images."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.forms import get_image_form
from wagtail.images.models import Image

from conference.image_forms import DescribedImageForm
from demo import images as demo_images
from programme.models import SpeakerPage

pytestmark = pytest.mark.django_db


class PictureParser(HTMLParser):
    """Every <img>, <source> and initials <svg> of a page, with their attributes."""

    def __init__(self):
        super().__init__()
        self.images, self.sources, self.avatars = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        elif tag == "source":
            self.sources.append(attributes)
        elif tag == "svg" and "avatar--initials" in (attributes.get("class") or ""):
            self.avatars.append(attributes)


def parse(html):
    parser = PictureParser()
    parser.feed(html)
    return parser


def rendition_images(html):
    return [image for image in parse(html).images if "/media/images/" in image.get("src", "")]


@pytest.mark.parametrize(
    "path",
    [
        "/vilnius-2017/",
        "/ru/vilnius-2017/",
        "/vilnius-2017/speakers/",
        "/ru/vilnius-2017/speakers/",
        "/vilnius-2017/speakers/aliya-demo-nurlanova/",
        "/vilnius-2017/programme/opening/",
    ],
)
def test_every_rendition_img_has_srcset_size_and_alt(client, conference, path):
    html = client.get(path).content.decode()
    images = rendition_images(html)
    assert images, f"no rendition images on {path}"
    for image in images:
        assert image.get("srcset"), image
        assert image.get("width", "").isdigit(), image
        assert image.get("height", "").isdigit(), image
        assert (image.get("alt") or "").strip(), image


def test_conference_hero_is_eager_with_modern_formats_and_several_widths(client, conference):
    html = client.get("/vilnius-2017/").content.decode()
    figure = html[html.index('<figure class="conference-hero__image">') : html.index("</figure>")]
    parsed = parse(figure)
    [hero] = parsed.images
    assert "loading" not in hero
    assert hero["alt"] == conference.hero_image_alt
    types = {source["type"] for source in parsed.sources}
    assert "image/webp" in types
    widths = {candidate.split()[-1] for candidate in hero["srcset"].split(",")}
    assert widths == {"480w", "960w", "1600w"}


def test_russian_hero_alt_is_russian(client, conference):
    html = client.get("/ru/vilnius-2017/").content.decode()
    figure = html[html.index('<figure class="conference-hero__image">') : html.index("</figure>")]
    [hero] = parse(figure).images
    assert hero["alt"].startswith("Абстрактная картина")


def test_organisation_logos_are_lazy_and_shown_with_their_names(client, conference):
    html = client.get("/ru/vilnius-2017/").content.decode()
    logos = [image for image in rendition_images(html) if "organisation-logo" in image.get("class", "")]
    assert logos
    assert all(image.get("loading") == "lazy" for image in logos)
    assert "Евразийская сеть снижения вреда" in html
    assert "Международная сеть молодых людей, употребляющих наркотики" in html


def test_speaker_list_pictures_below_the_first_row_load_lazily(client, conference):
    html = client.get("/vilnius-2017/speakers/").content.decode()
    images = rendition_images(html)
    assert images[0].get("loading") != "lazy"
    assert all(image.get("loading") == "lazy" for image in images[2:])


def test_speaker_without_photo_shows_initials_avatar(client, conference):
    speaker = SpeakerPage.objects.get(slug="bakyt-demo-osmonov", locale=conference.locale)
    assert speaker.photo_id is None
    for path, name, letters in [
        ("/vilnius-2017/speakers/bakyt-demo-osmonov/", "Bakyt Osmonov (demo)", "BO"),
        ("/ru/vilnius-2017/speakers/bakyt-demo-osmonov/", "Бакыт Осмонов (демо)", "БО"),
    ]:
        parsed = parse(client.get(path).content.decode())
        [avatar] = parsed.avatars
        assert avatar["role"] == "img"
        assert avatar["aria-label"] == name
        assert avatar["data-initials"] == letters
        photos = [image for image in rendition_images(client.get(path).content.decode()) if "avatar" in image["class"]]
        assert photos == []


def test_initials_avatar_colour_is_the_same_in_both_languages(client, conference):
    english = parse(client.get("/vilnius-2017/speakers/").content.decode()).avatars
    russian = parse(client.get("/ru/vilnius-2017/speakers/").content.decode()).avatars
    assert english
    english_html = client.get("/vilnius-2017/speakers/bakyt-demo-osmonov/").content.decode()
    russian_html = client.get("/ru/vilnius-2017/speakers/bakyt-demo-osmonov/").content.decode()
    colour = english_html.split('<circle cx="48" cy="48" r="48" fill="')[1][:7]
    assert f'fill="{colour}"' in russian_html
    assert len(english) == len(russian)


def test_demo_images_have_descriptions_and_reuse_on_second_load(conference):
    before = Image.objects.count()
    assert before >= 1 + 8 + 16
    assert not Image.objects.filter(description="").exists()
    demo_images.hero_image("vilnius-2017", "Abstract art")
    demo_images.portrait_image("aliya-demo-nurlanova", "Aliya Nurlanova (demo)")
    assert Image.objects.count() == before
    hero = conference.hero_image
    assert (hero.width, hero.height) == (1600, 900)


def test_image_form_requires_a_description():
    form_class = get_image_form(Image)
    assert issubclass(form_class, DescribedImageForm)
    form = form_class(data={"title": "A picture", "description": ""})
    assert not form.is_valid()
    assert "description" in form.errors


def test_conference_with_undescribed_hero_and_no_alt_is_refused(conference):
    hero = conference.hero_image
    hero.description = ""
    hero.save()
    conference.hero_image_alt = ""
    with pytest.raises(ValidationError) as error:
        conference.full_clean()
    assert "hero_image_alt" in error.value.message_dict


def test_demo_renditions_exist_before_the_first_visit(client, conference):
    """load_demo renders the pictures ahead, so that no visitor (and no test) waits for an encoder."""
    before = sum(image.renditions.count() for image in Image.objects.all())
    for path in ("/vilnius-2017/", "/vilnius-2017/speakers/", "/vilnius-2017/speakers/aliya-demo-nurlanova/"):
        client.get(path)
    assert sum(image.renditions.count() for image in Image.objects.all()) == before
