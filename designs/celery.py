"""The Celery app. Configured from Django's settings (the `CELERY_` ones)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designs.settings")

app = Celery("designs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["designs"])
