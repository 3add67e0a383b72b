"""Short-lived signed tokens that authorise a learner's player on the content origin.

The content origin never sees the site's session, so the player page, the package files
and the resume-state endpoint are authorised by a token in the URL path (h5p-standalone
builds asset URLs by concatenation, so per-file query strings cannot work). A token binds
one learner, one content version and one page, and expires after
``LEARNING_H5P_TOKEN_TTL`` seconds.
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


def issue_token(*, user_id, version_id, page_id):
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object([user_id, version_id, page_id], compress=False)


def read_token(token):
    """The grant a token carries; raises ``InvalidToken``."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        user_id, version_id, page_id = signer.unsign_object(
            token, max_age=learning_settings.LEARNING_H5P_TOKEN_TTL
        )
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
    if not all(isinstance(value, int) for value in (user_id, version_id, page_id)):
        raise InvalidToken("malformed token")
    return PlayerGrant(user_id=user_id, version_id=version_id, page_id=page_id)
