"""People's personal data: consent, export, erasure, retention and the staff audit log.

Each app says what it holds about a person through a *personal-data provider* registered
with the ``learning_personal_data`` Wagtail hook (see ``registry``); this room never
imports ``courses`` or ``webinars``.
"""
