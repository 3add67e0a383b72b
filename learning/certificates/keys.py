"""The issuer's identity and signing keys for Open Badges credentials.

The issuer is the site's ``did:web`` identifier, derived from ``WAGTAILADMIN_BASE_URL``
(``SITE_URL`` in production): ``https://learning.example.org`` is
``did:web:learning.example.org``, whose DID document the site serves at
``/.well-known/did.json``.

The private key is an Ed25519 key in a PEM file named by ``LEARNING_CREDENTIAL_KEY_FILE``
(a setting, or the environment variable of that name); it is never stored in the database.
Without that setting a key is generated once into ``VAR_DIR`` (``var/``, git-ignored), which
suits development and a single server. Rotation: list the public keys (or the old private
key files) retired from signing in ``LEARNING_CREDENTIAL_RETIRED_KEY_FILES``, oldest first;
they stay in the DID document as ``#key-1``, ``#key-2``..., and the current key is the next
number, so every credential signed earlier still verifies.
"""

import base64
import contextlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from learning.conf import learning_settings

GENERATED_KEY_NAME = "credential-ed25519.pem"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def site_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def issuer_did():
    """``did:web`` of the site: its host, with a port percent-encoded as did:web asks."""
    parts = urlsplit(site_url())
    host = (parts.hostname or "").lower()
    if parts.port:
        host = f"{host}:{parts.port}"
    return "did:web:" + quote(host, safe="")


def public_jwk(public_key):
    raw = public_key.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


@dataclass(frozen=True)
class SigningKey:
    kid: str  # did:web:...#key-N
    private_key: Ed25519PrivateKey


def _read_pem(path, *, private):
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the credential key file {path}: {error}") from None
    try:
        if private or b"PRIVATE KEY" in data:
            key = serialization.load_pem_private_key(data, password=None)
            if not private:
                key = key.public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{path} is not an unencrypted PEM key: {error}") from None
    expected = Ed25519PrivateKey if private else Ed25519PublicKey
    if not isinstance(key, expected):
        raise ImproperlyConfigured(f"{path} does not hold an Ed25519 key.")
    return key


def generated_key_path():
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / GENERATED_KEY_NAME


def _generate_once(path):
    """Write a new key to ``path`` unless one is there; concurrent processes agree on one
    (the file appears whole, by a hard link that fails when the name exists)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.write(handle, pem)
        os.close(handle)
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # another process was first
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def key_file():
    configured = learning_settings.LEARNING_CREDENTIAL_KEY_FILE
    if configured:
        return Path(configured)
    path = generated_key_path()
    _generate_once(path)
    return path


@lru_cache(maxsize=8)
def _load(current, retired):
    private = _read_pem(current, private=True)
    publics = [_read_pem(path, private=False) for path in retired]
    return private, publics


def load_keys(current, retired):
    """The private key in the PEM file ``current`` and the public keys of the ``retired``
    files; ImproperlyConfigured names the file that cannot be used."""
    return _load(str(current), tuple(str(path) for path in retired))


def _keys():
    return load_keys(key_file(), learning_settings.LEARNING_CREDENTIAL_RETIRED_KEY_FILES)


def signing_key():
    """The key new credentials are signed with, and its id in the DID document."""
    private, retired = _keys()
    return SigningKey(kid=f"{issuer_did()}#key-{len(retired) + 1}", private_key=private)


def verification_methods():
    """(id, public key) of every key a credential of this site may be signed with: the
    retired ones first (``#key-1``...), then the current one."""
    private, retired = _keys()
    did = issuer_did()
    keys = [*retired, private.public_key()]
    return [(f"{did}#key-{number}", key) for number, key in enumerate(keys, start=1)]


def did_document():
    """The issuer's DID document (did:web), listing every key as a JsonWebKey that may
    assert credentials."""
    did = issuer_did()
    methods = [
        {"id": kid, "type": "JsonWebKey", "controller": did, "publicKeyJwk": public_jwk(key)}
        for kid, key in verification_methods()
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
