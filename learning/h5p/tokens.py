"""Short-lived signed tokens that authorise a learner's player on the content origin.

The content origin never sees the site's session, so the player page, the package files
and the resume-state endpoint are authorised by a token in the URL path (h5p-standalone
builds asset URLs by concatenation, so per-file query strings cannot work). A token binds
one learner, one content version and one page, and expires after
``LEARNING_H5P_TOKEN_TTL`` seconds. A preview token (an editor trying the activity on a
page they may edit) also says so: its player keeps no resume state.
"""

from dataclasses import dataclass

from django.core import signing

from learning.conf import learning_settings

SALT = "learning.h5p.player"


class InvalidToken(Exception):
    """The token was forged, altered or has expired."""


@dataclass(frozen=True)
class PlayerGrant:
    user_id: int
    version_id: int
    page_id: int
    preview: bool = False


def issue_token(*, user_id, version_id, page_id, preview=False):
    signer = signing.TimestampSigner(salt=SALT)
    values = [user_id, version_id, page_id] + ([1] if preview else [])
    return signer.sign_object(values, compress=False)


def read_token(token):
    """The grant a token carries; raises ``InvalidToken``."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        values = signer.unsign_object(token, max_age=learning_settings.LEARNING_H5P_TOKEN_TTL)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
    if (
        not isinstance(values, list)
        or len(values) not in (3, 4)
        or not all(isinstance(value, int) for value in values)
        or values[3:] not in ([], [1])
    ):
        raise InvalidToken("malformed token")
    user_id, version_id, page_id = values[:3]
    return PlayerGrant(
        user_id=user_id, version_id=version_id, page_id=page_id, preview=len(values) == 4
    )
