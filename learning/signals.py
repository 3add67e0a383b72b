"""Signals of the learning core; courses and webinars listen to them.

- ``activity_completed(user, content, attempt)``: an H5P activity reached a terminal state.
- ``certificate_issued(certificate)``: a new certificate exists (sent after commit).
"""

from django.dispatch import Signal

activity_completed = Signal()
certificate_issued = Signal()
