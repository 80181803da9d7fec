from __future__ import annotations

import pytest

from pacesetter.sso.provider import discovery
from pacesetter.sso.tests.oidc_provider import running_provider

ALICE = {"sub": "00u-alice", "email": "Alice@Example.com", "name": "Alice Adams"}


@pytest.fixture
def idp(settings, small_org):
    """A local OpenID Connect provider that signs Alice in; single sign-on points at it."""
    with running_provider(dict(ALICE)) as provider:
        settings.SSO = provider.settings()
        yield provider
    discovery.cache_clear()
