from django.apps import AppConfig


class SitewideConfig(AppConfig):
    name = "learning.sitewide"
    label = "learning_sitewide"
