from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
