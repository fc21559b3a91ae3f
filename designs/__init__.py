"""The web side of the advisor: Django settings, urls, the Celery app, and the app itself."""

from __future__ import annotations

from designs.celery import app as celery_app

__all__ = ["celery_app"]
