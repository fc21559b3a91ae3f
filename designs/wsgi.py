from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designs.settings")

application = get_wsgi_application()

# Each server process would import the URLs and every view on its first request (about 0.4 s);
# imported here, a server started with --preload forks its processes with them loaded.
import designs.urls  # noqa: E402, F401
