"""Certificate URLs; included by ``learning.urls`` (the names live in its ``learning``
namespace)."""

from django.urls import path

from learning.certificates import views

urlpatterns = [
    path("certificates/verify/", views.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    # Open Badges 3.0: the learner's credential and badge, the issuer's DID document and
    # the revocation lists.
    path(
        "certificates/<str:code>.jwt", views.certificate_credential, name="certificate_credential"
    ),
    path("certificates/<str:code>.png", views.certificate_badge, name="certificate_badge"),
    path(".well-known/did.json", views.did_document, name="did_document"),
    path(
        "certificates/status/<int:number>/",
        views.credential_status_list,
        name="credential_status_list",
    ),
]
