from django.urls import include, path

from learning import views
from learning.views import certificates as certificate_views
from learning.views import dashboard as dashboard_views
from learning.views import h5p as h5p_views

app_name = "learning"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", certificate_views.certificate_pdf, name="certificate_pdf"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    # H5P: the statement endpoint and activity IRIs on the site ...
    path("learning/xapi/statements/", h5p_views.statements, name="xapi_statements"),
    path(
        "learning/h5p/activity/<int:page_id>/<int:content_id>",
        h5p_views.activity,
        name="h5p_activity",
    ),
    # ... and the player on the content origin (LEARNING_H5P_ORIGIN) only.
    path("h5p/player-assets/<path:path>", h5p_views.player_asset, name="h5p_player_asset"),
    path("h5p/<str:token>/play/", h5p_views.player_page, name="h5p_player"),
    path(
        "h5p/<str:token>/state/<str:content_id>/<str:data_type>/<str:sub_content_id>/",
        h5p_views.user_data,
        name="h5p_user_data",
    ),
    path(
        "h5p/<str:token>/libraries/",
        h5p_views.library_file,
        {"folder": "", "path": ""},
        name="h5p_libraries_root",
    ),
    path(
        "h5p/<str:token>/libraries/<str:folder>/<path:path>",
        h5p_views.library_file,
        name="h5p_library_file",
    ),
    path(
        "h5p/<str:token>/<int:version_id>/",
        h5p_views.package_file,
        {"path": ""},
        name="h5p_version_root",
    ),
    path(
        "h5p/<str:token>/<int:version_id>/<path:path>",
        h5p_views.package_file,
        name="h5p_package_file",
    ),
    # Regional workshops: material downloads and the trainer page.
    path("", include("learning.workshops.urls")),
]
