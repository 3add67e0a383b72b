from django.urls import path

from webinars import views

app_name = "webinars"

urlpatterns = [
    path("webinars/<id:pk>/register/", views.register, name="register"),
    path("webinars/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("webinars/<id:pk>/calendar.ics", views.webinar_ics, name="webinar_ics"),
    path("webinars/series/<id:pk>/calendar.ics", views.series_ics, name="series_ics"),
    path("webinars/calendar/<str:token>.ics", views.personal_ics, name="personal_ics"),
    path("webinars/calendar/replace/", views.replace_calendar_feed, name="replace_calendar_feed"),
    path("webinars/join/<str:token>/", views.join, name="join"),
]
