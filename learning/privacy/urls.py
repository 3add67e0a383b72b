from django.urls import path

from learning.privacy import views

urlpatterns = [
    path("privacy/", views.notice, name="privacy_notice"),
    path("accounts/profile/my-data.json", views.my_data, name="my_data"),
    path("accounts/profile/erase/", views.erase_account, name="erase_account"),
]
