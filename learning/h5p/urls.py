"""H5P's URLs; included by ``learning.urls`` (the names live in its ``learning``
namespace). ``learning.h5p.middleware`` answers ``/h5p/...`` on the content origin only."""

from django.urls import path

from learning.h5p import views

urlpatterns = [
    # H5P: the statement endpoint and activity IRIs on the site ...
    path("learning/xapi/statements/", views.statements, name="xapi_statements"),
    path(
        "learning/h5p/activity/<id:page_id>/<id:content_id>",
        views.activity,
        name="h5p_activity",
    ),
    # ... and the player on the content origin (LEARNING_H5P_ORIGIN) only.
    # Shared by all activities, without a token, at immutable URLs; before the token
    # routes, which would otherwise read "libraries" as a token.
    path(
        "h5p/player-assets/<str:stamp>/<path:path>",
        views.player_asset,
        name="h5p_player_asset",
    ),
    path(
        "h5p/libraries/<str:stamp>/",
        views.library_file,
        {"folder": "", "path": ""},
        name="h5p_libraries_root",
    ),
    path(
        "h5p/libraries/<str:stamp>/<str:folder>/<path:path>",
        views.library_file,
        name="h5p_library_file",
    ),
    path("h5p/<str:token>/play/", views.player_page, name="h5p_player"),
    path(
        "h5p/<str:token>/state/<str:content_id>/<str:data_type>/<str:sub_content_id>/",
        views.user_data,
        name="h5p_user_data",
    ),
    path(
        "h5p/<str:token>/<id:version_id>/",
        views.package_file,
        {"path": ""},
        name="h5p_version_root",
    ),
    path(
        "h5p/<str:token>/<id:version_id>/<path:path>",
        views.package_file,
        name="h5p_package_file",
    ),
]
