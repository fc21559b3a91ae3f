"""Three people, after healthchecks: Alice owns things, Bob is another user with his own
projects, Charlie must see nothing of Alice's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from designs import services
from designs.models import Project

PASSWORD = "correct horse battery staple"

# A worker's app, which holds every job: only a worker started by the fault tests imports it.
collect_ignore = ["held_jobs.py"]


def minimal(project: str = "Ledger") -> dict[str, str]:
    """The smallest valid requirements document."""
    return {"format": "advisor/v1", "project": project}


def make_user(username: str, **extra: object) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return client_for(alice)


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    return client_for(charlie)


@pytest.fixture
def alice_project(alice: User) -> Project:
    return services.project_create(
        owner=alice, name="Alice’s secret ledger", description="Not for Charlie."
    )
