"""A small OpenID Connect provider for the tests, served over real HTTP from a thread:
discovery, JWKS, authorize (approving the configured person at once), token (an RS256
id_token signed with PyJWT; PKCE S256 and the client secret checked) and userinfo.

``tamper`` makes it answer with a bad id_token: ``"signature"`` (signed with another key
under the same key id), ``"audience"`` (for another client) or ``"expired"``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from pacesetter.config import Oidc

CLIENT_ID = "pacesetter-test"
CLIENT_SECRET = "s3cret-of-the-client"
KID = "test-key-1"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Provider:
    url: str = ""
    person: dict[str, Any] = field(default_factory=dict)  # sub, email, name, email_verified
    tamper: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def settings(self, *, create_users: bool = False, name: str = "Northwind ID") -> Oidc:
        """``settings.SSO`` for this provider, found through its discovery document."""
        return Oidc(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            issuer=self.url,
            discovery_url=f"{self.url}/.well-known/openid-configuration",
            authorization_endpoint="",
            token_endpoint="",
            userinfo_endpoint="",
            jwks_uri="",
            scopes="openid email profile",
            provider_name=name,
            create_users=create_users,
            sign_algo="RS256",
        )

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": self.person["sub"],
            "aud": "someone-else" if self.tamper == "audience" else CLIENT_ID,
            "iat": now - 7200 if self.tamper == "expired" else now,
            "exp": now - 3600 if self.tamper == "expired" else now + 300,
            "nonce": grant["nonce"],
            "email": self.person.get("email", ""),
        }
        key = OTHER_KEY if self.tamper == "signature" else KEY
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    provider: Provider  # set on the class made for each server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _json(self, body: Any, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.provider.requests.append(f"GET {parts.path}")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/.well-known/openid-configuration":
            self._json(self._discovery())
        elif parts.path == "/jwks":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
            self._json({"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]})
        elif parts.path == "/authorize":
            self._authorize(query)
        elif parts.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            grant = self.provider.tokens.get(token)
            if grant is None:
                self._json({"error": "invalid_token"}, 401)
            else:
                self._json({"email_verified": True, **self.provider.person})
        else:
            self._json({"error": "not_found"}, 404)

    def _discovery(self) -> dict[str, Any]:
        url = self.provider.url
        return {
            "issuer": url,
            "authorization_endpoint": f"{url}/authorize",
            "token_endpoint": f"{url}/token",
            "userinfo_endpoint": f"{url}/userinfo",
            "jwks_uri": f"{url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def _authorize(self, query: dict[str, str]) -> None:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            self._json({"error": "unauthorized_client"}, 400)
            return
        code = secrets.token_urlsafe(16)
        self.provider.codes[code] = query
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        self.provider.requests.append(f"POST {self.path}")
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        grant = self.provider.codes.pop(form.get("code", ""), None)
        if (
            self.path != "/token"
            or grant is None
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _challenge(form.get("code_verifier", "")) != grant.get("code_challenge")
        ):
            self._json({"error": "invalid_grant"}, 400)
            return
        access = secrets.token_urlsafe(16)
        self.provider.tokens[access] = grant
        self._json(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.provider.id_token(grant),
            }
        )


@contextmanager
def running_provider(person: dict[str, Any]) -> Iterator[Provider]:
    provider = Provider(person=person)
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
