"""The account's API tokens: made (the secret shown once), listed by name, revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from designs import services
from designs.forms import ApiTokenForm
from designs.models import ApiToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _, secret = services.api_token_create(user=request.user, **form.cleaned_data)
        form = ApiTokenForm()  # the page shows the secret this once; nothing keeps it
    context = {"form": form, "secret": secret, "tokens": request.user.api_tokens.all()}
    return render(request, "registration/token_list.html", context)


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method != "POST":
        return redirect("token_list")
    services.api_token_revoke(token=token)
    messages.success(request, f"Revoked the token “{token.name}”; it no longer opens the API.")
    return redirect("token_list")
