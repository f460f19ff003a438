"""Text answers are compressed for clients that accept it, decompress to the same bytes, and the 600-session
programme stays under 150 kB on the wire, anonymous or signed in; personal areas and POSTs stay uncompressed."""

import gzip

import brotli
import pytest
import zstandard
from django.core.management import call_command

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
