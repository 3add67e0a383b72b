"""Signals of the learning core; courses and webinars listen to them.

- ``activity_completed(sender, user, content, page, progress)``: a learner's H5P activity
  placed on ``page`` (a Wagtail page, e.g. a lesson) reached a terminal state; ``progress``
  is their ``ActivityProgress`` row (completed, success, best score). Sent after commit.
- ``certificate_issued(certificate)``: a new certificate exists (sent after commit).
"""

from django.dispatch import Signal

activity_completed = Signal()
certificate_issued = Signal()
