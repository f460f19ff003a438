"""Badge tokens: per-conference Ed25519 keys (stored encrypted) and the signed token a badge's QR holds."""

import base64
import binascii
import os
import struct
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import BadgeSigningKey

# The token: base32 (RFC 4648 alphabet, upper case, no padding) of
#   version (1 byte) | conference id (4 bytes) | registration id (4 bytes) | Ed25519 signature (64 bytes)
# = 73 bytes = 117 characters, all in the QR alphanumeric set, so the QR stays small (version 6).
TOKEN_VERSION = 1
PAYLOAD_FORMAT = ">BII"
PAYLOAD_LENGTH = struct.calcsize(PAYLOAD_FORMAT)
SIGNATURE_LENGTH = 64
TOKEN_BYTES = PAYLOAD_LENGTH + SIGNATURE_LENGTH
TOKEN_LENGTH = 117
MAX_CODE_LENGTH = 200  # anything longer is refused before it is even decoded
# The signature covers a domain tag too, so a signature made for anything else never passes as a badge.
SIGNATURE_CONTEXT = b"hrne-badge:"


@dataclass(frozen=True)
class BadgeToken:
    version: int
    conference_id: int
    registration_id: int


class InvalidToken(Exception):
    """The code is not a badge this site signed (forged, altered, truncated or not a badge at all)."""


# --- keys -----------------------------------------------------------------------------------------------


def _wrapping_key(secret_key):
    """An AES-256 key derived from SECRET_KEY: the database alone never reveals the signing keys."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hrne badge signing keys", info=b"aes-gcm v1").derive(
        secret_key.encode()
    )


def _encrypt_private_key(private_key, conference_id):
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    return nonce + AESGCM(_wrapping_key(settings.SECRET_KEY)).encrypt(nonce, raw, str(conference_id).encode())


def _decrypt_private_key(blob, conference_id):
    blob = bytes(blob)
    # SECRET_KEY_FALLBACKS lets a site rotate SECRET_KEY without invalidating printed badges.
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            raw = AESGCM(_wrapping_key(secret)).decrypt(blob[:12], blob[12:], str(conference_id).encode())
        except InvalidTag:
            continue
        return Ed25519PrivateKey.from_private_bytes(raw)
    raise RuntimeError(
        f"The badge signing key of conference {conference_id} cannot be decrypted: SECRET_KEY changed "
        "without keeping the old one in SECRET_KEY_FALLBACKS."
    )


def get_or_create_signing_key(conference):
    """The conference's key pair, created on first use; concurrent first uses end with one key."""
    conference_id = conference.canonical.pk
    key = BadgeSigningKey.objects.filter(conference_id=conference_id).first()
    if key is not None:
        return key
    private_key = Ed25519PrivateKey.generate()
    public_raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        with transaction.atomic():
            return BadgeSigningKey.objects.create(
                conference_id=conference_id,
                public_key=public_raw,
                encrypted_private_key=_encrypt_private_key(private_key, conference_id),
            )
    except IntegrityError:
        # Another request created it between our read and our insert (unique conference): use theirs.
        return BadgeSigningKey.objects.get(conference_id=conference_id)


@lru_cache(maxsize=64)
def _private_key(conference_id, blob):
    return _decrypt_private_key(blob, conference_id)


_public_keys = {}


def public_key_bytes(conference):
    """The raw 32-byte public key that door devices use to check badges offline."""
    return bytes(get_or_create_signing_key(conference).public_key)


def _public_key_for(conference_id, *, fresh=False):
    """The public key of a conference by id, cached for the life of the process (keys never change)."""
    key = None if fresh else _public_keys.get(conference_id)
    if key is None:
        raw = BadgeSigningKey.objects.filter(conference_id=conference_id).values_list("public_key", flat=True).first()
        if raw is None:
            _public_keys.pop(conference_id, None)
            return None
        key = _public_keys[conference_id] = Ed25519PublicKey.from_public_bytes(bytes(raw))
    return key


# --- tokens ---------------------------------------------------------------------------------------------


def _encode(data):
    return base64.b32encode(data).decode("ascii").rstrip("=")


def issue_badge_token(registration, *, signing_key=None):
    """The text of a registration's QR code. Deterministic: the same registration always gets the same code.
    `signing_key` (the conference's BadgeSigningKey) saves a query per badge when making many."""
    key = signing_key or get_or_create_signing_key(registration.conference)
    payload = struct.pack(PAYLOAD_FORMAT, TOKEN_VERSION, key.conference_id, registration.pk)
    signature = _private_key(key.conference_id, bytes(key.encrypted_private_key)).sign(SIGNATURE_CONTEXT + payload)
    return _encode(payload + signature)


def parse_badge_token(code):
    """Split a code into payload and signature without trusting it. Raises InvalidToken."""
    if not isinstance(code, str) or len(code) != TOKEN_LENGTH or not code.isascii():
        raise InvalidToken("wrong length or not ASCII")
    try:
        data = base64.b32decode(code + "===", casefold=False)
    except (binascii.Error, ValueError):
        raise InvalidToken("not base32") from None
    # Base32 of 73 bytes leaves one spare bit in the last character: only the canonical spelling counts,
    # so that no two different texts are the same badge.
    if len(data) != TOKEN_BYTES or _encode(data) != code:
        raise InvalidToken("not canonical")
    version, conference_id, registration_id = struct.unpack(PAYLOAD_FORMAT, data[:PAYLOAD_LENGTH])
    if version != TOKEN_VERSION:
        raise InvalidToken("unknown version")
    return BadgeToken(version, conference_id, registration_id), data[:PAYLOAD_LENGTH], data[PAYLOAD_LENGTH:]


def verify_badge_token(code):
    """The badge a code stands for, after its signature checks out. Raises InvalidToken.

    Reads only the conference's public key (cached per process); no registration is looked at before the
    signature is valid."""
    token, payload, signature = parse_badge_token(code)
    for fresh in (False, True):
        public_key = _public_key_for(token.conference_id, fresh=fresh)
        if public_key is None:
            raise InvalidToken("unknown conference key")
        try:
            public_key.verify(signature, SIGNATURE_CONTEXT + payload)
        except InvalidSignature:
            # A key cached by this process may be stale (a conference deleted and its id reused, or a
            # database restored): check once more against the stored key before refusing.
            continue
        return token
    raise InvalidToken("bad signature")
