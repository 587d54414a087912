"""How a delivery is signed: the Standard Webhooks headers (https://www.standardwebhooks.com/)
and, for one release more, the deprecated ``X-Collab-*`` ones.

A hook has one secret, stored as text. Its Standard Webhooks key is that text's UTF-8 bytes,
and its Standard Webhooks form (``signing_secret``) is ``whsec_`` and their base64. So a hook
made before Standard Webhooks signs both ways with the secret its owner already holds, who
can derive the ``whsec_`` form from it; nothing is migrated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def signing_secret(secret: str) -> str:
    """The hook's secret in the Standard Webhooks form: ``whsec_`` and the base64 of its key."""
    return SECRET_PREFIX + base64.b64encode(secret.encode()).decode()


def standard_signature(secret: str, webhook_id: str, timestamp: str, body: bytes) -> str:
    """``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}`` with the hook's key."""
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    mac = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def legacy_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp + "." + body`` with the secret: the
    deprecated ``X-Collab-Signature``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_headers(
    *, secret: str, webhook_id: str, event: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The signature headers of one attempt: Standard Webhooks' and the deprecated
    ``X-Collab-*`` ones, all signed at ``timestamp`` (Unix seconds)."""
    stamp = str(timestamp)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": standard_signature(secret, webhook_id, stamp, body),
        "X-Collab-Event": event,
        "X-Collab-Delivery": webhook_id,
        "X-Collab-Timestamp": stamp,
        "X-Collab-Signature": legacy_signature(secret, stamp, body),
    }
