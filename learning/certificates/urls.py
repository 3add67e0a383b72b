"""Certificate URLs; included by ``learning.urls`` (the names live in its ``learning``
namespace)."""

from django.urls import path

from learning.certificates import views

urlpatterns = [
    path("certificates/verify/", views.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
]
