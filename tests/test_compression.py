"""Text answers are compressed for clients that accept it, decompress to the same bytes, and the 600-session
programme stays under 150 kB on the wire, anonymous or signed in; personal areas and POSTs stay uncompressed.
Stored answers are compressed once, when stored, and served as stored (conference.precompressed)."""

import gzip

import brotli
import pytest
import zstandard
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from conference.precompressed import accepted_encoding
from programme.models import SessionPage, SpeakerPage
from programme.page_cache import ANONYMOUS, EVERYONE, cache_key

PROGRAMME = "/vilnius-2017/programme/"
DECOMPRESS = {
    "br": brotli.decompress,
    "gzip": gzip.decompress,
    "zstd": lambda body: zstandard.ZstdDecompressor().decompress(body, max_output_size=50_000_000),
}


def fetch(client, path, encoding):
    response = client.get(path, HTTP_ACCEPT_ENCODING=encoding) if encoding else client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd"])
@pytest.mark.parametrize(
    "path, content_type",
    [
        (PROGRAMME, "text/html"),
        (PROGRAMME + "schedule.json", "application/json"),
        (PROGRAMME + "schedule.xml", "application/xml"),
        (PROGRAMME + "schedule.ics", "text/calendar"),
        ("/ru" + PROGRAMME, "text/html"),
    ],
)
def test_text_answers_are_compressed_and_decompress_to_the_plain_body(client, encoding, path, content_type):
    plain = fetch(client, path, None)
    assert "Content-Encoding" not in plain
    compressed = fetch(client, path, f"{encoding}, identity")
    assert compressed["Content-Type"].startswith(content_type)
    assert compressed["Content-Encoding"] == encoding
    assert "Accept-Encoding" in compressed["Vary"]
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content) / 3
    assert DECOMPRESS[encoding](compressed.content) == plain.content


@pytest.mark.django_db
def test_a_client_that_accepts_no_encoding_gets_the_plain_body(client):
    response = fetch(client, PROGRAMME, "identity")
    assert "Content-Encoding" not in response
    assert b"</html>" in response.content


@pytest.mark.django_db
def test_the_cached_answer_revalidates_with_its_etag_after_compression(client):
    fetch(client, PROGRAMME, "br")  # rendered and stored
    first = fetch(client, PROGRAMME, "br")  # from the response cache, with its ETag
    assert first["Content-Encoding"] == "br"
    assert first["ETag"].startswith('W/"')
    again = client.get(PROGRAMME, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_personal_areas_and_form_answers_are_never_compressed(client, django_user_model):
    """BREACH: pages with personal data or reflected input stay uncompressed (see conference/compression.py)."""
    user = django_user_model.objects.create_user("breach", "breach@example.org", "pw-not-used-0123")
    client.force_login(user)
    for path in ("/my/", "/ru/my/", "/accounts/login/", "/accounts/password/reset/"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code in (200, 302), path
        assert "Content-Encoding" not in response, path
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong" * 200}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response.status_code == 200
    assert len(response.content) > 500  # long enough that only the rule keeps it uncompressed
    assert "Content-Encoding" not in response


@pytest.mark.django_db
def test_the_600_session_programme_transfers_under_150_kb(client, django_user_model):
    call_command("make_scale_conference", slug="scale", sessions=600, speakers=400, registrations=0, verbosity=0)
    anonymous = fetch(client, "/scale/programme/", "gzip, deflate, br")
    user = django_user_model.objects.create_user("starrer", "starrer@example.org", "pw-not-used-0123")
    client.force_login(user)
    signed_in = fetch(client, "/scale/programme/", "gzip, deflate, br")
    for response in (anonymous, signed_in):
        plain_size = len(brotli.decompress(response.content))
        print(f"600-session programme: {plain_size} bytes plain, {len(response.content)} bytes br")  # shown by -s
        assert response["Content-Encoding"] == "br"
        assert plain_size > 300_000  # it is the full programme, not an error page
        assert len(response.content) < 150_000
    gzipped = fetch(client, "/scale/programme/", "gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    assert len(gzipped.content) < 150_000


def cache_key_for(path, variant):
    """Where the page cache keeps its answer to an English `path` for a kind of visitor."""
    with translation.override("en"):
        return cache_key(RequestFactory().get(path), variant)


def stored_entry(path, variant):
    return cache.get(cache_key_for(path, variant))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, variant",
    [(PROGRAMME, ANONYMOUS), (PROGRAMME + "schedule.json", EVERYONE), (PROGRAMME + "schedule.ics", EVERYONE)],
)
def test_a_stored_answer_keeps_brotli_and_gzip_copies_that_are_served_as_they_are(client, path, variant):
    plain = fetch(client, path, None)  # rendered and stored
    entry = stored_entry(path, variant)
    assert set(entry["encoded"]) == {"br", "gzip"}
    for encoding in ("br", "gzip"):
        response = fetch(client, path, encoding)
        assert response["Content-Encoding"] == encoding
        assert response.content == entry["encoded"][encoding]
        assert DECOMPRESS[encoding](response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == "W/" + plain["ETag"]
    again = fetch(client, path, None)
    assert "Content-Encoding" not in again
    assert again.content == plain.content
    assert again["ETag"] == plain["ETag"]
    assert not again["ETag"].startswith("W/")


@pytest.mark.django_db
def test_a_cache_hit_sends_the_stored_copy_without_compressing_again(client):
    plain = fetch(client, PROGRAMME, None)
    entry = stored_entry(PROGRAMME, ANONYMOUS)
    # A copy that no compressor run on this request could produce: it is served only if read from the cache.
    entry["encoded"]["br"] = brotli.compress(plain.content + b"<!-- stored -->", quality=0)
    cache.set(cache_key_for(PROGRAMME, ANONYMOUS), entry)
    response = fetch(client, PROGRAMME, "gzip, deflate, br, zstd")
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == plain.content + b"<!-- stored -->"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["br", "gzip", None])
def test_a_stored_answer_revalidates_with_its_etag_in_any_encoding(client, encoding):
    fetch(client, PROGRAMME, None)  # rendered and stored
    first = fetch(client, PROGRAMME, encoding)
    headers = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    again = client.get(PROGRAMME, HTTP_IF_NONE_MATCH=first["ETag"], **headers)
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "Accept-Encoding" in again["Vary"]
    changed = client.get(PROGRAMME, HTTP_IF_NONE_MATCH='W/"another"', **headers)
    assert changed.status_code == 200


@pytest.mark.django_db
def test_head_of_a_stored_answer_has_the_headers_of_its_get(client):
    fetch(client, PROGRAMME, None)
    got = fetch(client, PROGRAMME, "br")
    head = client.head(PROGRAMME, HTTP_ACCEPT_ENCODING="br")
    assert head.status_code == 200
    assert head.content == b""
    for header in ("Content-Encoding", "Content-Length", "ETag", "Vary", "Content-Type"):
        assert head[header] == got[header], header


@pytest.mark.django_db
def test_a_stored_answer_follows_the_clients_q_values(client):
    fetch(client, PROGRAMME, None)
    assert fetch(client, PROGRAMME, "br;q=0.1, gzip;q=0.9")["Content-Encoding"] == "gzip"
    assert fetch(client, PROGRAMME, "gzip;q=0, *")["Content-Encoding"] == "br"


@pytest.mark.parametrize(
    "accept_encoding, expected",
    [
        ("gzip, deflate, br, zstd", "br"),  # Chrome: equal q-values, our order
        ("gzip, deflate", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("BR ; q=1.0, gzip;q=0.8", "br"),
        ("*", "br"),
        ("gzip;q=0, *;q=0.1", "br"),
        ("br;q=0, gzip;q=0", None),
        ("*;q=0", None),
        ("zstd", None),  # left to the middleware
        ("identity", None),
        ("", None),
        ("br;q=oops, gzip", "gzip"),
    ],
)
def test_the_stored_encoding_is_the_one_the_client_rates_highest(accept_encoding, expected):
    assert accepted_encoding(accept_encoding, {"br": b"", "gzip": b""}) == expected


SECRETS_AND_INPUT = "gzip, br, zstd"


@pytest.mark.django_db
def test_signed_in_pages_with_input_in_them_are_never_compressed(client, conference, django_user_model):
    """Finding 21.7 (BREACH): a signed-in visitor's page holding what the URL asked for beside their email, stars
    or CSRF token goes out plain; the stored programme pages, filled in with the token and stars only, may be
    compressed, and they reflect nothing of the request."""
    session = SessionPage.objects.live().filter(locale__language_code="en").first()
    speaker = SpeakerPage.objects.live().filter(locale__language_code="en").first()
    user = django_user_model.objects.create_user("breach2", "breach2@example.org", "pw-not-used-0123")
    client.force_login(user)
    guess = "breachguess7"
    personal = [
        f"{conference.url}register/?email={guess}",
        f"/ru{conference.url}register/?{guess}=1",
        f"{PROGRAMME}?utm_source={guess}",
        f"/ru{PROGRAMME}?{guess}=1",
        f"{session.url}?{guess}=1",
        f"{speaker.url}?{guess}=1",
    ]
    for path in personal:
        response = client.get(path, HTTP_ACCEPT_ENCODING=SECRETS_AND_INPUT, follow=True)
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response, path
        assert guess in response.content.decode(), path  # the input is really in the page: the rule decides
    for path in (PROGRAMME, session.url, speaker.url):
        response = client.get(path, HTTP_ACCEPT_ENCODING=SECRETS_AND_INPUT)
        assert response.status_code == 200, path
        body = DECOMPRESS[response["Content-Encoding"]](response.content).decode()
        assert "csrfmiddlewaretoken" in body, path  # the signed-in page with its star forms
        assert "breach2@example.org" not in body


@pytest.mark.django_db
def test_an_anonymous_form_with_its_csrf_token_is_not_compressed(client, conference):
    response = client.get(f"{conference.url}register/", HTTP_ACCEPT_ENCODING=SECRETS_AND_INPUT)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
