"""The "Learning › H5P content" and "H5P libraries" admin screens."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.h5p import samples
from learning.h5p.services import import_h5p
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import H5PContent, H5PContentVersion, H5PLibrary
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files

pytestmark = pytest.mark.django_db


def upload(data=None, name="quiz.h5p", **overrides):
    return SimpleUploadedFile(
        name, data if data is not None else samples.build_package(**overrides)
    )


@pytest.fixture
def editor_client(client, user):
    user.groups.add(Group.objects.get(name=GROUP_COURSE_EDITORS))
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def import_many(h5p_upload, count):
    for index in range(count):
        import_h5p(
            h5p_upload(title=f"Quiz {index:02}"),
            user=None,
            allow_libraries=True,
        )


# -- listing --------------------------------------------------------------------------------


def test_listing_shows_title_library_version_uploader_and_usage(admin_client, h5p_upload):
    version = import_h5p(h5p_upload(title="Rio quiz"), user=None, allow_libraries=True)
    import_h5p(h5p_upload(), user=None, content=version.content)

    response = admin_client.get(reverse("h5p_content:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rio quiz" in html
    assert "H5P.CBQuickCheck 1.0" in html
    assert "command line" in html
    assert "Used on 0 pages" in html
    assert reverse("h5p_content:usage", args=[version.content_id]) in html
    html = re.sub(r"</?bdi[^>]*>", "", html)  # values are isolated in <bdi>
    assert "(UTC)" in html  # times name their zone
    row = response.context["object_list"][0]
    assert row.current_version.number == 2


def test_listing_query_count_does_not_grow_with_rows(
    admin_client, h5p_upload, django_assert_max_num_queries
):
    import_many(h5p_upload, 2)
    with django_assert_max_num_queries(40) as few:
        admin_client.get(reverse("h5p_content:index"))
    import_many(h5p_upload, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("h5p_content:index"))
    assert len(response.context["object_list"]) == 10


def test_listing_search_by_title(admin_client, h5p_upload):
    import_h5p(h5p_upload(title="Synergies between conventions"), user=None, allow_libraries=True)
    import_h5p(h5p_upload(title="Knowledge management basics"), user=None)
    response = admin_client.get(reverse("h5p_content:index"), {"q": "synergies"})
    titles = [content.title for content in response.context["object_list"]]
    assert titles == ["Synergies between conventions"]


def test_course_editor_sees_the_listing_learner_does_not(editor_client, client, other_user):
    assert editor_client.get(reverse("h5p_content:index")).status_code == 200
    client.force_login(other_user)
    response = client.get(reverse("h5p_content:index"))
    assert response.status_code == 302  # no admin access: sent to the admin login


def test_library_listing_is_read_only(admin_client, h5p_upload, django_assert_max_num_queries):
    import_h5p(h5p_upload(library_version="1.0.0"), user=None, allow_libraries=True)
    import_h5p(h5p_upload(library_version="1.1.0"), user=None, allow_libraries=True)
    with django_assert_max_num_queries(30) as few:
        admin_client.get(reverse("h5p_libraries:index"))
    for minor in range(2, 8):
        import_h5p(h5p_upload(library_version=f"1.{minor}.0"), user=None, allow_libraries=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("h5p_libraries:index"))
    assert len(response.context["object_list"]) == 8
    html = response.content.decode()
    assert "H5P.CBQuickCheck" in html
    assert "1.1.0" in html
    assert "/new/" not in html
    assert admin_client.get("/admin/learning/h5p-libraries/new/").status_code == 404


# -- upload ---------------------------------------------------------------------------------


def test_superuser_uploads_a_package_with_new_libraries(admin_client):
    response = admin_client.post(
        reverse("h5p_content:add"), {"title": "", "package": upload(title="From h5p.json")}
    )
    content = H5PContent.objects.get()
    assert response.status_code == 302
    assert content.title == "From h5p.json"
    assert H5PLibrary.objects.get().installed_by.is_superuser


def test_invalid_package_is_a_form_error_naming_file_and_rule(admin_client):
    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    bad = samples.build_package(
        extra_files={"content/images/photo.png": b"<svg onload='alert(1)'/>"}
    )
    response = admin_client.post(reverse("h5p_content:add"), {"package": upload(bad)})
    assert response.status_code == 200
    errors = response.context["form"].errors["package"]
    assert any("content/images/photo.png" in error and "PNG" in error for error in errors)
    assert "content/images/photo.png" in response.content.decode()
    assert (stored_h5p_files(), h5p_row_counts()) == (files_before, rows_before)


def test_not_a_zip_is_a_form_error_not_a_500(admin_client):
    response = admin_client.post(
        reverse("h5p_content:add"), {"package": upload(b"\x00garbage", name="bad.h5p")}
    )
    assert response.status_code == 200
    assert "bad.h5p" in response.context["form"].errors["package"][0]
    assert H5PContent.objects.count() == 0


def test_wrong_extension_is_a_form_error(admin_client):
    response = admin_client.post(reverse("h5p_content:add"), {"package": upload(name="quiz.zip")})
    assert response.status_code == 200
    assert "package" in response.context["form"].errors
    assert H5PContent.objects.count() == 0


def test_course_editor_upload_with_new_library_is_held_for_approval(editor_client):
    response = editor_client.post(reverse("h5p_content:add"), {"package": upload()}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "brings H5P libraries that are not installed" in html
    content = H5PContent.objects.get()
    assert content.current_version is None
    assert content.versions.get().status == H5PContentVersion.Status.AWAITING_APPROVAL
    assert H5PLibrary.objects.count() == 0
    listing = editor_client.get(reverse("h5p_content:index")).content.decode()
    assert "Awaiting library approval" in listing


def test_course_editor_upload_with_upgraded_library_is_held(editor_client, h5p_upload):
    first = import_h5p(h5p_upload(library_version="1.0.0"), user=None, allow_libraries=True)
    response = editor_client.post(
        reverse("h5p_content:add"), {"package": upload(library_version="1.0.7")}
    )
    assert response.status_code == 302
    assert H5PLibrary.objects.get().patch_version == 0
    held = H5PContentVersion.objects.exclude(pk=first.pk).get()
    assert held.libraries_brought[0]["installed"] == "1.0.0"
    assert held.awaiting_approval


def test_reupload_of_the_same_package_opens_the_existing_content(editor_client, h5p_upload):
    first = import_h5p(h5p_upload(), user=None, allow_libraries=True)
    response = editor_client.post(reverse("h5p_content:add"), {"package": upload()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("h5p_content:edit", args=[first.content_id])
    assert "uploaded before" in response.content.decode()
    assert h5p_row_counts()["H5PContentVersion"] == 1


def test_course_editor_uploads_content_with_installed_libraries(editor_client, h5p_upload, user):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    response = editor_client.post(
        reverse("h5p_content:add"),
        {"title": "Editor's quiz", "package": upload(question="Which convention?")},
    )
    assert response.status_code == 302
    content = H5PContent.objects.get(title="Editor's quiz")
    assert content.current_version.uploaded_by == user


def test_admin_user_without_add_permission_is_turned_away_and_nothing_is_written(client, user):
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(
        *Group.objects.get(name=GROUP_COURSE_EDITORS).permissions.filter(codename="access_admin")
    )
    user.groups.add(group)
    client.force_login(user)
    response = client.post(reverse("h5p_content:add"), {"package": upload()})
    # Wagtail's admin answers a missing permission with a redirect and an error message.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert h5p_row_counts() == {"H5PContent": 0, "H5PContentVersion": 0, "H5PLibrary": 0}


# -- edit and replace -----------------------------------------------------------------------


def test_replacing_the_package_creates_version_2(editor_client, h5p_upload):
    content = import_h5p(h5p_upload(), user=None, allow_libraries=True).content
    response = editor_client.post(
        reverse("h5p_content:edit", args=[content.pk]),
        {"title": "Renamed", "package": upload(question="A better question?")},
    )
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.title == "Renamed"
    assert content.current_version.number == 2
    page = editor_client.get(reverse("h5p_content:edit", args=[content.pk])).content.decode()
    assert "v1" in page and "v2" in page
    assert "H5P.CBQuickCheck 1.0.0" in page


def test_editing_only_the_title_keeps_the_version(editor_client, h5p_upload):
    content = import_h5p(h5p_upload(), user=None, allow_libraries=True).content
    response = editor_client.post(
        reverse("h5p_content:edit", args=[content.pk]), {"title": "Just renamed"}
    )
    assert response.status_code == 302
    content.refresh_from_db()
    assert (content.title, content.current_version.number) == ("Just renamed", 1)


def test_invalid_replacement_keeps_the_current_version(editor_client, h5p_upload):
    content = import_h5p(h5p_upload(), user=None, allow_libraries=True).content
    files_before = stored_h5p_files()
    bad = samples.build_package(omit=["content/content.json"])
    response = editor_client.post(
        reverse("h5p_content:edit", args=[content.pk]), {"title": "X", "package": upload(bad)}
    )
    assert response.status_code == 200
    assert "content/content.json" in response.context["form"].errors["package"][0]
    content.refresh_from_db()
    assert (content.title, content.current_version.number) != ("X", 2)
    assert content.versions.count() == 1
    assert stored_h5p_files() == files_before


def test_usage_lists_the_pages_that_embed_the_content(admin_client, quick_check_content):
    from tests.fixtures_h5p_play import add_activity_page

    page = add_activity_page(quick_check_content, title="Practice: Rio conventions")
    listing = admin_client.get(reverse("h5p_content:index")).content.decode()
    assert "Used on 1 page" in listing
    usage = admin_client.get(reverse("h5p_content:usage", args=[quick_check_content.pk]))
    assert page.title in usage.content.decode()


def test_course_editor_may_view_installed_libraries(editor_client, quick_check_content):
    response = editor_client.get(reverse("h5p_libraries:index"))
    assert response.status_code == 200
    assert "H5P.CBQuickCheck" in response.content.decode()


def test_install_permission_can_be_granted_to_a_group_in_settings(admin_client):
    group = Group.objects.get(name=GROUP_COURSE_EDITORS)
    response = admin_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    html = response.content.decode()
    assert "Can install H5P libraries" in html


def test_editors_download_the_original_package_others_cannot(client, h5p_upload):
    from learning.factories import UserFactory
    from learning.h5p import samples
    from learning.h5p.services import import_h5p

    data = samples.build_package()
    version = import_h5p(h5p_upload(data=data), user=None, allow_libraries=True)
    url = f"/admin/learning/h5p-content/{version.content_id}/versions/1/package/"

    client.force_login(UserFactory(groups=["Course editors"]))
    edit = client.get(f"/admin/learning/h5p-content/edit/{version.content_id}/")
    assert url in edit.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert "attachment" in response["Content-Disposition"]

    client.force_login(UserFactory(groups=["Trainers"]))
    assert client.get(url).status_code in (302, 403)


def test_replacing_with_the_same_package_makes_no_version_but_saves_the_title(
    editor_client, h5p_upload
):
    content = import_h5p(h5p_upload(), user=None, allow_libraries=True).content
    response = editor_client.post(
        reverse("h5p_content:edit", args=[content.pk]), {"title": "Same", "package": upload()}
    )
    assert response.status_code == 302
    content.refresh_from_db()
    assert (content.title, content.versions.count()) == ("Same", 1)
