"""Workshop material downloads and the trainer page; included by ``learning.urls`` (the
names live in its ``learning`` namespace). The browsing pages are Wagtail pages."""

from django.urls import path

from learning.workshops import views

urlpatterns = [
    path(
        "workshops/materials/<id:pk>/download/",
        views.material_download,
        name="workshop_material_download",
    ),
    path(
        "workshops/materials/<id:pk>/versions/<id:version_pk>/download/",
        views.material_version_download,
        name="workshop_material_version_download",
    ),
    path("workshops/trainer/", views.trainer_home, name="workshop_trainer"),
    path(
        "workshops/trainer/<id:workshop_id>/",
        views.trainer_workshop,
        name="workshop_trainer_workshop",
    ),
    path(
        "workshops/trainer/<id:workshop_id>/participants/",
        views.trainer_participants,
        name="workshop_trainer_participants",
    ),
    path(
        "workshops/trainer/<id:workshop_id>/participants/<id:pk>/remove/",
        views.trainer_participant_remove,
        name="workshop_trainer_participant_remove",
    ),
    path(
        "workshops/trainer/materials/<id:pk>/",
        views.trainer_material,
        name="workshop_trainer_material",
    ),
    path(
        "workshops/trainer/materials/<id:pk>/delete/",
        views.trainer_material_delete,
        name="workshop_trainer_material_delete",
    ),
]
