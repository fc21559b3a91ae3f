"""The WSGI application comes with its views loaded, so no server process pays for them on its
first request."""

from __future__ import annotations

import subprocess
import sys

from tests.advisor.conftest import ROOT


def test_loading_the_wsgi_application_loads_the_urls_and_views() -> None:
    script = (
        "import sys, designs.wsgi;"
        "print('designs.urls' in sys.modules, 'designs.views.designs' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["True", "True"]
