"""Wagtail admin viewsets of the learning core, one module per concern; registered in
``learning/wagtail_hooks.py``."""
