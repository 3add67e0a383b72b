"""Workshop material downloads resume and revalidate: Range (206/416), If-Range, ETag and
Last-Modified (304); each download counted once, not once per range; on S3 a short-lived
signed redirect given only after the permission check."""

import os
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from learning.factories import MINIMAL_PDF, WorkshopMaterialFactory
from learning.models import MaterialDownload
from learning.workshops import services
from tests.fixtures_workshops import make_upload

pytestmark = pytest.mark.django_db

DATA = MINIMAL_PDF + os.urandom(300 * 1024)  # several chunks


@pytest.fixture
def material(africa_workshop):
    return WorkshopMaterialFactory(
        workshop=africa_workshop,
        visibility="participants",
        file=ContentFile(DATA, name="big.pdf"),
        original_filename="big.pdf",
    )


@pytest.fixture
def as_participant(client, participant):
    client.force_login(participant)
    return client


def _url(material):
    return reverse("learning:workshop_material_download", args=[material.pk])


def _body(response):
    return b"".join(response.streaming_content)


def _downloads(material):
    return MaterialDownload.objects.filter(material=material).count()


def test_full_download_streams_with_validators(as_participant, material):
    response = as_participant.get(_url(material))
    assert response.status_code == 200
    assert response.streaming
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert int(response["Content-Length"]) == len(DATA)
    assert _body(response) == DATA
    assert _downloads(material) == 1


def test_interrupted_download_resumed_with_range_gives_identical_bytes(as_participant, material):
    first = as_participant.get(_url(material))
    etag = first["ETag"]
    received = b""
    for chunk in first.streaming_content:  # the connection drops after ~100 KiB
        received += chunk
        if len(received) > 100 * 1024:
            break

    resumed = as_participant.get(
        _url(material), HTTP_RANGE=f"bytes={len(received)}-", HTTP_IF_RANGE=etag
    )
    assert resumed.status_code == 206
    assert resumed["Content-Range"] == f"bytes {len(received)}-{len(DATA) - 1}/{len(DATA)}"
    assert int(resumed["Content-Length"]) == len(DATA) - len(received)
    assert received + _body(resumed) == DATA
    assert _downloads(material) == 1  # the continuation is the same download
    material.refresh_from_db()
    assert material.download_count == 1


def test_ranges_from_the_start_and_suffix_ranges(as_participant, material):
    head = as_participant.get(_url(material), HTTP_RANGE="bytes=0-99")
    assert head.status_code == 206
    assert _body(head) == DATA[:100]
    assert _downloads(material) == 1  # a range from byte 0 starts a download
    tail = as_participant.get(_url(material), HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and _body(tail) == DATA[-10:]
    assert _downloads(material) == 1


def test_unsatisfiable_range_is_416(as_participant, material):
    response = as_participant.get(_url(material), HTTP_RANGE=f"bytes={len(DATA)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert _downloads(material) == 0


def test_if_range_with_a_stale_etag_gives_the_whole_new_file(
    as_participant, material, trainer_africa
):
    stale = as_participant.get(_url(material))["ETag"]
    new_data = MINIMAL_PDF + b"% replaced\n" * 1000
    material = services.replace_material(
        material, make_upload("big.pdf", new_data, "application/pdf"), user=trainer_africa
    )
    response = as_participant.get(_url(material), HTTP_RANGE="bytes=500-", HTTP_IF_RANGE=stale)
    assert response.status_code == 200
    assert response["ETag"] != stale
    assert _body(response) == new_data
    assert _downloads(material) == 2


def test_if_none_match_and_if_modified_since_answer_304(as_participant, material):
    first = as_participant.get(_url(material))
    _body(first)
    again = as_participant.get(_url(material), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = as_participant.get(_url(material), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert _downloads(material) == 1  # revalidations are not downloads


def test_ranges_are_refused_to_whoever_may_not_download(client, learner, material):
    assert client.get(_url(material), HTTP_RANGE="bytes=0-9").status_code == 302
    client.force_login(learner)
    assert client.get(_url(material), HTTP_RANGE="bytes=0-9").status_code == 404
    assert _downloads(material) == 0


# --- S3: a signed redirect after the permission check -------------------------------------


def test_s3_download_redirects_to_a_signed_url_that_serves_the_bytes(
    s3_settings, client, learner, participant, trainer_africa, africa_workshop
):
    material = services.add_material(
        africa_workshop,
        make_upload("big.pdf", DATA, "application/pdf"),
        user=trainer_africa,
        kind="handout",
        language="en",
        visibility="participants",
    )
    assert client.get(_url(material)).status_code == 302
    assert client.get(_url(material))["Location"].startswith(reverse("account_login"))
    client.force_login(learner)
    assert client.get(_url(material)).status_code == 404  # the wrong user: no URL given
    assert _downloads(material) == 0

    client.force_login(participant)
    response = client.get(_url(material))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    assert "Expires=" in signed or "X-Amz-Expires=300" in signed
    with urllib.request.urlopen(signed, timeout=10) as stored:  # noqa: S310
        assert stored.read() == DATA
        assert "big.pdf" in stored.headers["Content-Disposition"]
    request = urllib.request.Request(signed, headers={"Range": "bytes=1000-"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as part:  # noqa: S310
        assert part.status == 206 and part.read() == DATA[1000:]
    assert _downloads(material) == 1
