"""Certificates of the learning core: public verification by code (``verification.py``,
``views.py``, ``urls.py``). Issuing and revoking stay ``learning.services.issue_certificate``
and ``revoke_certificate``; the rules that decide who earns what are
``learning.certificate_rules``."""
