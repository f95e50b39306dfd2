"""Ed25519 signing keys kept under instance/keys/ (never in git). Each key is a PEM file named by its
kid (the RFC 7638 JWK thumbprint); `current` names the key that signs new credentials. Rotation
adds a key and keeps the old ones, so the JWKS still lists every key that ever signed a certificate."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_dir() -> Path:
    path = Path(current_app.config["INSTANCE_PATH"]) / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def public_jwk(private: Ed25519PrivateKey) -> dict:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw)}


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 over the required members in lexical order, no whitespace."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return _b64(hashlib.sha256(canonical.encode()).digest())


def _load(path: Path) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def create_key() -> str:
    """A new key, made current. Returns its kid."""
    private = Ed25519PrivateKey.generate()
    kid = thumbprint(public_jwk(private))
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(key_dir() / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    temporary = key_dir() / f"current.{os.getpid()}"
    temporary.write_text(kid)
    temporary.replace(key_dir() / "current")  # atomic, so a reader never sees half a name
    return kid


def ensure_key() -> str:
    """The current kid, creating the first key when there is none."""
    current = key_dir() / "current"
    if current.exists():
        return current.read_text().strip()
    return create_key()


def sign(payload: dict) -> tuple[str, str]:
    """A compact JWS (alg EdDSA) over `payload`, with the current key. Returns (token, kid)."""
    kid = ensure_key()
    private = _load(key_dir() / f"{kid}.pem")
    token = jwt.encode(payload, private, algorithm="EdDSA", headers={"kid": kid, "typ": "JWT"})
    return token, kid


def jwks() -> dict:
    """Every public key ever used, current first."""
    current = ensure_key()
    keys = []
    for path in sorted(key_dir().glob("*.pem")):
        jwk = public_jwk(_load(path))
        keys.append({**jwk, "kid": path.stem, "use": "sig", "alg": "EdDSA"})
    keys.sort(key=lambda k: k["kid"] != current)
    return {"keys": keys}
