"""Pages and text downloads are gzip-compressed with Django's BREACH
mitigation; already-compressed files are sent as they are."""

import gzip

import pytest
from django.urls import reverse

from tests.factories import make_cohort_with_adoption, viewer

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def client_viewer(client, db):
    make_cohort_with_adoption(members=4, wechat=3, weibo=1)
    client.force_login(viewer())
    return client


def test_pages_are_compressed_when_the_browser_accepts_gzip(client_viewer):
    plain = client_viewer.get(reverse("dashboard:overview"))
    packed = client_viewer.get(reverse("dashboard:overview"), headers=GZIP)
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Cookie" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert b"</html>" in html and len(packed.content) < len(html) / 3
    assert packed["ETag"].startswith('W/"')  # a compressed body is a weak match of the page


def test_compressed_length_varies_between_identical_pages(client_viewer):
    """BREACH guesses a secret from how the compressed length changes with what
    the attacker reflects into the page; a random-length gzip header field (and
    CSRF tokens masked anew per response) hide that signal."""
    lengths = {len(client_viewer.get(reverse("dashboard:overview"), headers=GZIP).content) for _ in range(8)}
    assert len(lengths) > 1


def test_csv_is_compressed_and_images_are_not(client_viewer, monkeypatch):
    from dashboard import rendering

    monkeypatch.setattr(rendering.renderer, "render", lambda figure, **opts: b"\x89PNG\r\n\x1a\n" + b"\0" * 5000)
    csv = client_viewer.get(reverse("dashboard:chart_export", args=["adoption-by-platform", "csv"]), headers=GZIP)
    assert csv["Content-Encoding"] == "gzip" and gzip.decompress(csv.content).startswith("\ufeff".encode())
    png = client_viewer.get(reverse("dashboard:chart_export", args=["adoption-by-platform", "png"]), headers=GZIP)
    assert png.status_code == 200 and "Content-Encoding" not in png
