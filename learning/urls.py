from django.urls import include, path

from learning import views
from learning.views import certificates as certificate_views
from learning.views import dashboard as dashboard_views

app_name = "learning"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", certificate_views.certificate_pdf, name="certificate_pdf"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    # H5P: the statement endpoint and activity IRIs on the site, the player on the
    # content origin.
    path("", include("learning.h5p.urls")),
    # Regional workshops: material downloads and the trainer page.
    path("", include("learning.workshops.urls")),
]
