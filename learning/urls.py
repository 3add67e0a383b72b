from django.urls import include, path

from learning import views

app_name = "learning"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.set_visitor_language, name="set_visitor_language"),
    # H5P: the statement endpoint and activity IRIs on the site, the player on the
    # content origin.
    path("", include("learning.h5p.urls")),
    # Certificates: verification by code and the PDF.
    path("", include("learning.certificates.urls")),
    # Privacy: the notice, a person's data as JSON, erasing an account.
    path("", include("learning.privacy.urls")),
    # Regional workshops: material downloads and the trainer page.
    path("", include("learning.workshops.urls")),
]
