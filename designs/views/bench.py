"""A view that does nothing, routed only when ADVISOR_BENCH is on: the load bench's ceiling,
what the server, Django and the middleware cost without any work of the app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
