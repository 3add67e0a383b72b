"""The "Learning › H5P library approvals" screen and the admin-home notice."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from learning.h5p.services import import_h5p
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import H5PContentVersion, H5PLibrary

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(user):
    user.groups.add(Group.objects.get(name=GROUP_COURSE_EDITORS))
    return user


@pytest.fixture
def held(h5p_upload, editor):
    return import_h5p(h5p_upload(title="Mangrove quiz"), user=editor, hold_new_libraries=True)


def test_installer_sees_libraries_and_versions_the_package_brings(client, admin_user, held):
    client.force_login(admin_user)
    index = client.get(reverse("h5p_approvals:index")).content.decode()
    assert "Mangrove quiz" in index
    review = client.get(reverse("h5p_approvals:review", args=[held.pk]))
    html = review.content.decode()
    assert "H5P.CBQuickCheck" in html and "1.0.0" in html
    assert "not installed (new)" in html
    assert "Approve and install" in html
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("h5p_approvals:review", args=[held.pk]) in home


def test_installer_approves_in_one_screen(client, admin_user, held):
    client.force_login(admin_user)
    response = client.post(
        reverse("h5p_approvals:review", args=[held.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == H5PContentVersion.Status.PLAYABLE
    assert held.content.current_version == held
    assert H5PLibrary.objects.count() == 1


def test_installer_rejects_with_a_note_the_editor_reads_on_admin_home(
    client, admin_user, editor, held
):
    client.force_login(admin_user)
    client.post(
        reverse("h5p_approvals:review", args=[held.pk]),
        {"decision": "reject", "note": "Unknown source."},
    )
    held.refresh_from_db()
    assert held.status == H5PContentVersion.Status.REJECTED
    client.force_login(editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "libraries rejected" in home and "Unknown source." in home


@pytest.mark.parametrize("url_name", ["index", "review"])
def test_editor_without_install_permission_is_turned_away_and_nothing_changes(
    client, editor, held, url_name
):
    client.force_login(editor)
    args = [held.pk] if url_name == "review" else []
    url = reverse(f"h5p_approvals:{url_name}", args=args)
    # Wagtail's admin answers PermissionDenied with a redirect home and an error message.
    for response in (client.get(url), client.post(url, {"decision": "approve"})):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    held.refresh_from_db()
    assert held.status == H5PContentVersion.Status.AWAITING_APPROVAL
    assert H5PLibrary.objects.count() == 0


def test_editor_is_told_on_admin_home_that_the_upload_awaits_approval(client, editor, held):
    client.force_login(editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mangrove quiz" in home and "awaiting library approval" in home
    # No approval link for someone who cannot approve.
    assert reverse("h5p_approvals:review", args=[held.pk]) not in home


def test_chooser_shows_the_content_type(client, admin_user, h5p_upload, held):
    import_h5p(h5p_upload(title="Rio quiz"), user=None, allow_libraries=True)
    client.force_login(admin_user)
    response = client.get(reverse("h5p_content_chooser:choose"))
    html = response.json()["html"]
    assert "Content type" in html
    library_title = H5PLibrary.objects.get().title
    assert library_title in html
    assert "Awaiting library approval" in html
    # An icon beside each type: the quick check's, and a warning for the held package.
    assert '<use href="#icon-help">' in html
    assert '<use href="#icon-warning">' in html
