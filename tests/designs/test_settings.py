"""Settings come from the environment, strictly; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from designs.env import env_bool, env_list

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2LmZ9vR4tW8yB3nK6hJ1cF5dG0sA",
    "ALLOWED_HOSTS": "advisor.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://advisor.example.com",
    "SECURE_HSTS_PRELOAD": "true",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    unwanted = {*PRODUCTION, "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_missing_secret_key_with_debug_off_is_refused() -> None:
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_misspelt_boolean_is_refused_not_guessed() -> None:
    result = manage("check", env={"DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("No", False), ("", True)]
)
def test_booleans(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=True) is expected


def test_lists_refuse_empty_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", "a.example.com, b.example.com")
    assert env_list("HOSTS", default=[]) == ["a.example.com", "b.example.com"]
    monkeypatch.setenv("HOSTS", "a.example.com,,b")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("HOSTS", default=[])


def test_without_a_database_url_it_uses_sqlite_in_the_project_directory() -> None:
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "designs.settings", "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")


def test_the_pages_load_htmx_from_our_own_static_files(client) -> None:
    page = client.get("/").content.decode()
    assert '<script src="/static/vendor/htmx-2.0.11.min.js"' in page
    assert (ROOT / "static" / "vendor" / "htmx-2.0.11.min.js").stat().st_size > 10_000


def test_no_template_loads_anything_from_another_site() -> None:
    offenders = [
        path.relative_to(ROOT)
        for path in (ROOT / "templates").rglob("*.html")
        if 'src="http' in path.read_text() or 'href="http' in path.read_text()
    ]
    assert offenders == []
