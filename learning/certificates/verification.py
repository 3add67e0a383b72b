"""Reading a certificate code as a person types it, and limiting how many codes one
address may try, so codes cannot be enumerated.

A code is 20 characters from a 32-letter alphabet (100 bits, see
``learning.models.certificates.new_certificate_code``): guessing one is hopeless even
without a limit; the limit keeps the verification page from being used as an oracle.
Only lookups of unknown codes count; once an address is over the limit, every lookup from
it is refused until the window ends, so valid codes cannot be probed either.
"""

import re
import time

from django.core.cache import cache

from learning.conf import learning_settings
from learning.models.certificates import CODE_ALPHABET, CODE_LENGTH
from learning.network import client_address

_NOT_CODE = re.compile(r"[\s\-–—_.]+")


def normalise_code(typed):
    """The canonical form (``ABCDE-FGHJK-LMNPQ-RSTUV``) of a code typed in any case, with
    or without dashes or spaces; None when it cannot be a certificate code."""
    raw = _NOT_CODE.sub("", typed or "").upper()
    if len(raw) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in raw):
        return None
    return "-".join(raw[i : i + 5] for i in range(0, CODE_LENGTH, 5))


def _window_key(address):
    window = learning_settings.LEARNING_CERTIFICATE_VERIFY_WINDOW
    return f"learning:certificate-misses:{address}:{int(time.time() // window)}"


def over_limit(request):
    """True when this address has tried too many unknown codes in the current window."""
    limit = learning_settings.LEARNING_CERTIFICATE_VERIFY_MAX_MISSES
    if not limit:
        return False
    return (cache.get(_window_key(client_address(request))) or 0) >= limit


def record_miss(request):
    key = _window_key(client_address(request))
    timeout = learning_settings.LEARNING_CERTIFICATE_VERIFY_WINDOW * 2
    cache.add(key, 0, timeout=timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
