"""English and Russian: /ru/ pages show the Russian content, the language switcher lands on the same page,
untranslated pages fall back to the English content with a note, dates follow the active language."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale, Page

from demo import translations as demo_translations
from home.models import StandardPage
from programme.models import SessionPage
from registration.tests.registration_factories import make_user

pytestmark = pytest.mark.django_db


def switcher_links(html):
    """{language code: href} of the language switcher in a rendered page."""
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)
    assert switcher, "no language switcher on the page"
    links = {code: href for href, code in re.findall(r'<a href="([^"]*)" lang="([a-z-]+)"', switcher.group(0))}
    current = re.findall(r'aria-current="true" lang="([a-z-]+)"', switcher.group(0))
    return links, current


def h1(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def test_russian_conference_page_shows_russian_content(client, conference):
    html = client.get("/ru/vilnius-2017/").content.decode()
    assert '<html lang="ru">' in html
    assert h1(html) == "Снижение вреда в новых условиях"
    assert "люди, употребляющие наркотики" in html or "людей, употребляющих наркотики" in html
    assert "translation-notice" not in html


def test_english_conference_page_stays_english(client, conference):
    html = client.get("/vilnius-2017/").content.decode()
    assert '<html lang="en">' in html
    assert h1(html) == "Harm Reduction in the New Environment"


@pytest.mark.parametrize(
    "path, title",
    [
        ("/ru/", "Конференции по снижению вреда"),
        ("/ru/vilnius-2017/privacy/", "Уведомление о конфиденциальности"),
        ("/ru/vilnius-2017/venue-accessibility/", "Доступность площадки"),
    ],
)
def test_russian_pages_render_their_russian_title(client, conference, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert h1(response.content.decode()) == title


def test_russian_home_lists_the_conference_in_russian(client, conference):
    html = client.get("/ru/").content.decode()
    assert '<a href="/ru/vilnius-2017/">Снижение вреда в новых условиях</a>' in html


def test_switcher_on_english_page_links_to_the_russian_translation(client, conference):
    links, current = switcher_links(client.get("/vilnius-2017/code-of-conduct/").content.decode())
    assert links == {"ru": "/ru/vilnius-2017/code-of-conduct/"}
    assert current == ["en"]


def test_switcher_on_russian_page_links_to_the_english_original(client, conference):
    links, current = switcher_links(client.get("/ru/vilnius-2017/code-of-conduct/").content.decode())
    assert links == {"en": "/vilnius-2017/code-of-conduct/"}
    assert current == ["ru"]


def test_switcher_follows_a_translated_slug(client, conference):
    russian = conference.get_translation(Locale.objects.get(language_code="ru"))
    russian.slug = "vilnius-2017-ru"
    russian.save_revision().publish()
    links, _ = switcher_links(client.get("/vilnius-2017/").content.decode())
    assert links == {"ru": "/ru/vilnius-2017-ru/"}


def render_language_links(path, page=None, language="en"):
    request = RequestFactory().get(path)
    template = Template(
        "{% load site_chrome %}{% language_links as links %}{% for l in links %}{{ l.code }}={{ l.url }};{% endfor %}"
    )
    with translation.override(language):
        output = template.render(Context({"request": request, "page": page}))
    return dict(item.split("=", 1) for item in unescape(output).strip(";").split(";"))


def test_switcher_keeps_the_sub_route_of_a_routable_page(conference):
    russian = conference.get_translation(Locale.objects.get(language_code="ru"))
    links = render_language_links("/ru/vilnius-2017/register/", page=russian, language="ru")
    assert links == {"en": "/vilnius-2017/register/", "ru": "/ru/vilnius-2017/register/"}


def test_switcher_keeps_the_query_string(conference):
    links = render_language_links("/vilnius-2017/?day=2017-04-05&track=rights", page=conference)
    assert links["ru"] == "/ru/vilnius-2017/?day=2017-04-05&track=rights"


@pytest.mark.parametrize(
    "path, english, russian",
    [
        ("/ru/my/", "/my/", "/ru/my/"),
        ("/accounts/login/?next=/my/", "/accounts/login/?next=/my/", "/ru/accounts/login/?next=/ru/my/"),
        ("/ru/accounts/login/?next=/ru/my/", "/accounts/login/?next=/my/", "/ru/accounts/login/?next=/ru/my/"),
    ],
)
def test_switcher_on_views_outside_the_page_tree_swaps_the_prefix(db, path, english, russian):
    assert render_language_links(path) == {"en": english, "ru": russian}


def make_untranslated_page(conference):
    page = StandardPage(
        slug="side-events", title="Side events", intro="Evening events hosted by partners.", show_in_menus=False
    )
    conference.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_untranslated_page_under_ru_shows_english_content_in_russian_chrome(client, conference):
    make_untranslated_page(conference)
    response = client.get("/ru/vilnius-2017/side-events/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert h1(html) == "Side events"
    assert '<main id="main" tabindex="-1" lang="en">' in html
    assert re.search(r'<p class="message translation-notice" lang="ru" role="note">[^<]+</p>', html)
    links, current = switcher_links(html)
    assert links == {"en": "/vilnius-2017/side-events/"}
    assert current == ["ru"]


def test_untranslated_page_in_english_has_no_note(client, conference):
    make_untranslated_page(conference)
    html = client.get("/vilnius-2017/side-events/").content.decode()
    assert "translation-notice" not in html
    assert '<main id="main" tabindex="-1">' in html


def test_unknown_path_under_ru_is_still_not_found(client, conference):
    assert client.get("/ru/vilnius-2017/no-such-page/").status_code == 404


def test_unpublished_english_page_is_not_served_under_ru(client, conference):
    page = make_untranslated_page(conference)
    page.unpublish()
    assert client.get("/ru/vilnius-2017/side-events/").status_code == 404


def test_conference_dates_follow_the_active_language(client, conference):
    russian = client.get("/ru/vilnius-2017/").content.decode()
    english = client.get("/vilnius-2017/").content.decode()
    assert '<time datetime="2017-04-06">6 апреля 2017</time>' in russian
    assert '<time datetime="2017-04-06">6 April 2017</time>' in english


def test_load_translations_twice_keeps_one_russian_copy_of_each_page(conference):
    russian = Locale.objects.get(language_code="ru")
    before = Page.objects.filter(locale=russian).count()
    demo_translations.load_translations(conference)
    assert Page.objects.filter(locale=russian).count() == before
    assert Page.objects.filter(locale=russian, alias_of__isnull=False).count() == 0
    assert Page.objects.filter(locale=russian, live=False).count() == 0


def test_russian_programme_shows_translated_sessions_under_ru(client, conference):
    html = client.get("/ru/vilnius-2017/programme/").content.decode()
    assert h1(html) == "Программа"
    assert '<a href="/ru/vilnius-2017/programme/naloxone-in-every-pocket/">Налоксон в каждом кармане</a>' in html


def remove_russian_session(slug):
    """Make a demo session untranslated again (the demo translates every one)."""
    SessionPage.objects.get(slug=slug, locale__language_code="ru").delete()


def test_russian_programme_keeps_untranslated_sessions_in_russian_menus(client, conference):
    remove_russian_session("costing-harm-reduction")
    html = client.get("/ru/vilnius-2017/programme/").content.decode()
    assert 'href="/ru/vilnius-2017/programme/costing-harm-reduction/"' in html
    session = client.get("/ru/vilnius-2017/programme/costing-harm-reduction/").content.decode()
    assert h1(session) == "Costing harm reduction for transition plans"
    assert "translation-notice" in session


@pytest.mark.parametrize(
    "path, title",
    [
        ("/ru/vilnius-2017/programme/opening/", "Открытие: снижение вреда в новых условиях"),
        ("/ru/vilnius-2017/speakers/", "Докладчики"),
        ("/ru/vilnius-2017/speakers/giorgi-demo-beridze/", "Георгий Беридзе (демо)"),
    ],
)
def test_russian_session_and_speaker_pages_show_russian_content(client, conference, path, title):
    html = client.get(path).content.decode()
    assert h1(html) == title
    assert "translation-notice" not in html


def test_registration_made_in_russian_is_emailed_in_russian(client, conference, mailoutbox, deliver_mail):
    client.force_login(make_user())
    with deliver_mail():
        response = client.post(
            "/ru/vilnius-2017/register/",
            {
                "full_name": "Анна Петрова",
                "badge_name": "Аня",
                "organisation": "",
                "country": "LT",
                "registration_type": "press",
                "consent_privacy": "on",
            },
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.subject == "Ваша регистрация на конференцию «Снижение вреда в новых условиях» подтверждена"
    assert "Здравствуйте, Аня!" in email.body or "Здравствуйте, Анна Петрова!" in email.body
    assert "4 апреля" in email.body, email.body


def test_switcher_on_the_sign_in_page_keeps_the_page_to_come_back_to(client, conference):
    html = client.get("/ru/accounts/login/?next=/ru/vilnius-2017/register/").content.decode()
    links, current = switcher_links(html)
    assert unescape(links["en"]) == "/accounts/login/?next=/vilnius-2017/register/"
    assert current == ["ru"]


def test_switcher_on_the_registration_form_lands_on_the_english_form(client, conference):
    client.force_login(make_user())
    html = client.get("/ru/vilnius-2017/register/").content.decode()
    links, current = switcher_links(html)
    assert links == {"en": "/vilnius-2017/register/"}
    assert current == ["ru"]


def test_switcher_on_my_page_lands_on_my_page(client, conference):
    client.force_login(make_user())
    links, _ = switcher_links(client.get("/my/").content.decode())
    assert links == {"ru": "/ru/my/"}


def test_organiser_translates_a_page_into_russian_in_the_admin(client, conference):
    organiser = make_user()
    organiser.groups.add(Group.objects.get(name="Organisers"))
    client.force_login(organiser)
    page = make_untranslated_page(conference)
    russian = Locale.objects.get(language_code="ru")
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f"/admin/translation/submit/page/{page.pk}/" in edit
    response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [russian.pk]})
    assert response.status_code == 302
    translation = page.get_translation(russian)
    translation.title = "Сопутствующие мероприятия"
    translation.save_revision(user=organiser).publish(user=organiser)
    html = client.get("/ru/vilnius-2017/side-events/").content.decode()
    assert h1(html) == "Сопутствующие мероприятия"
    assert "translation-notice" not in html


def test_head_names_the_page_in_the_other_language(client, conference, settings):
    html = client.get("/ru/vilnius-2017/code-of-conduct/").content.decode()
    assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}/vilnius-2017/code-of-conduct/">' in html


def test_untranslated_page_under_ru_has_the_russian_conference_menus(client, conference):
    remove_russian_session("costing-harm-reduction")
    html = client.get("/ru/vilnius-2017/programme/costing-harm-reduction/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert "Снижение вреда в новых условиях" in header
    assert '<a href="/ru/vilnius-2017/programme/">Программа</a>' in header


def test_untranslated_session_under_ru_links_back_and_to_speakers_in_russian(client, conference):
    remove_russian_session("costing-harm-reduction")
    html = client.get("/ru/vilnius-2017/programme/costing-harm-reduction/").content.decode()
    assert '<p class="breadcrumb no-print"><a href="/ru/vilnius-2017/programme/">' in html
    assert 'href="/ru/vilnius-2017/speakers/oleksandr-demo-shevchuk/"' in html
