"""The site-wide templates (``templates/``), static files (``static/``) and their catalogue
(``templates/locale``), shipped in the wheel as this app's ``templates``, ``static`` and
``locale`` by the build step in ``setup.py``. A host site adds ``"learning.sitewide"`` to
``INSTALLED_APPS`` (before ``allauth``, whose layout it overrides). The checkout's own site
(``config/``) finds the same files through ``TEMPLATES["DIRS"]``, ``STATICFILES_DIRS`` and
``LOCALE_PATHS`` and does not need the app."""
