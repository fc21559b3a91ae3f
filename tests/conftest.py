from __future__ import annotations

import os
import socket
from typing import Any
from urllib.parse import urlparse

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_server(url: str, variable: str) -> None:
    """Skip (outside CI) or fail (in CI) when the server behind `url` does not answer."""
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), 2):
            return
    except OSError as error:
        message = f"cannot reach {url} ({error}); set {variable} to a reachable server"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The default hasher is slow by design; tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_sign_in_throttling(settings: Any) -> None:
    # The test client signs in without a request, which django-axes cannot count; the
    # throttling tests turn it back on and sign in through the login page.
    settings.AXES_ENABLED = False
