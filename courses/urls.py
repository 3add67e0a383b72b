from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("courses/<id:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<id:course_id>/unenrol/", views.unenrol, name="unenrol"),
    path("lessons/<id:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("lessons/<id:lesson_id>/state/", views.lesson_state, name="lesson_state"),
]
