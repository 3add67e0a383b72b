"""The client's address, for rate limits (sign-in, certificate verification).

Without a proxy it is ``REMOTE_ADDR``. Behind ``LEARNING_TRUSTED_PROXY_COUNT`` reverse
proxies (environment variable ``TRUSTED_PROXY_COUNT`` in production), each appending the
address it was connected from to ``X-Forwarded-For``, the client is the N-th entry from
the right: entries further left are whatever the client chose to send, so adding some
neither resets a limit nor moves it onto another person. ``LEARNING_CLIENT_IP_HEADER``
(e.g. ``HTTP_X_REAL_IP``) names a header set by a single proxy instead.

A value that is not an IP address falls back to ``REMOTE_ADDR``: a malformed header is
never an error.
"""

import ipaddress

from learning.conf import learning_settings


def _address(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request):
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    count = learning_settings.LEARNING_TRUSTED_PROXY_COUNT
    if count and count > 0:
        forwarded = [
            entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry
        ]
        if forwarded:
            # Fewer entries than proxies: the nearest proxies did not all append (a
            # misconfiguration); the leftmost entry is still one a trusted proxy wrote.
            chosen = forwarded[-count] if len(forwarded) >= count else forwarded[0]
            return _address(chosen) or remote
        return remote
    header = learning_settings.LEARNING_CLIENT_IP_HEADER
    if header:
        return _address(request.META.get(header, "").split(",")[-1]) or remote
    return remote
