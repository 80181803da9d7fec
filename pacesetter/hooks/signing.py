"""How a delivery is signed, and how a receiver checks it.

``X-Pacesetter-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is the HMAC-SHA256, keyed
with the endpoint's secret, of ``<t>.`` followed by the exact body bytes. A receiver
recomputes it, compares in constant time and refuses a ``t`` older than a few minutes (a
replayed delivery)."""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Pacesetter-Signature"
TOLERANCE = 300  # seconds a receiver should accept between t and its own clock


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, *, now: float | None = None, tolerance: int = TOLERANCE
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret``, made within ``tolerance`` seconds."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).partition(",v1=")[2]
    return hmac.compare_digest(expected, parts.get("v1", ""))
