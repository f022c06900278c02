"""VAPID keys for Web Push, in the forms the browser and pywebpush take."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_key_pair() -> tuple[str, str]:
    """A new (public, private) pair: the public key as the browser's `applicationServerKey` (the uncompressed
    P-256 point), the private key as the raw 32-byte number; both base64url without padding."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(public), _b64url(private)
