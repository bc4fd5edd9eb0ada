"""The body's logo (issue 16, onboarding): checked before anything is stored, served for its
pages' header, a clear Italian message for what is refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.models import Body
from lib.images import MAX_LOGO_BYTES, logo_errors
from tests.test_onboarding import _counts, _setup


def _image(fmt="PNG", size=(64, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 102, 204)).save(out, format=fmt)
    return out.getvalue()


def _upload(data: bytes, name="logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_body_set_up_with_its_logo_shows_it_on_its_pages(db, client, django_user_model):
    result = _setup(logo=_upload(_image("JPEG"), name="stemma.png"))
    body = Body.objects.get(pk=result.body.pk)
    assert body.logo.name == f"enti/{body.slug}/logo.jpg"  # named by its real format
    response = client.get(f"/{body.slug}/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == _image("JPEG")
    admin = django_user_model.objects.create_superuser("super-logo", password="x-logo-test")
    client.force_login(admin)
    page = client.get(f"/{body.slug}/{result.cycle.year}/ciclo/").content.decode()
    assert f'<img src="/{body.slug}/logo/"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", "non è un'immagine PNG o JPEG leggibile"),
        (_image("GIF"), "solo immagini PNG o JPEG"),
        (_image(size=(2001, 10)), "2001×10 pixel, al massimo 2000 per lato"),
        (_image()[:40], "non è un'immagine PNG o JPEG leggibile"),
        (b"\x89PNG" + b"0" * MAX_LOGO_BYTES, "al massimo 512 kB"),
    ],
    ids=["garbage", "gif", "too-wide", "truncated", "too-heavy"],
)
def test_a_bad_logo_is_an_error_among_the_others_and_nothing_is_written(db, data, message):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        _setup(logo=_upload(data), people="")
    messages = caught.value.messages
    assert any(message in m for m in messages), messages
    assert any(m.startswith("Persone") for m in messages)  # listed with the other errors
    assert _counts() == before


def test_a_body_without_a_logo_has_none_to_serve(client, cycle):
    assert client.get(f"/{cycle.body.slug}/logo/").status_code == 404
    assert client.post(f"/{cycle.body.slug}/logo/").status_code == 405


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2048))
def test_the_logo_check_answers_any_bytes_with_a_verdict(data):
    errors, suffix = logo_errors(io.BytesIO(data), len(data))
    assert (errors == []) == (suffix in (".png", ".jpg"))
    assert all(e.startswith("Logo: ") for e in errors)
