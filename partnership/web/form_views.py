"""The one shape of a page with a form: show it, check it, call the service, say what happened.

GET shows the form. POST validates it; when valid, `on_valid(cleaned_data)` makes the change
(a service call). A rule the service enforces arrives as a ValidationError and is shown on the
form like any other error, with nothing saved; success is flashed and the browser is sent on
(post/redirect/get), so a reload never submits twice.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partnership.web.forms import show_refusal


def form_page(
    request: HttpRequest,
    form,
    *,
    template: str,
    on_valid: Callable[[dict], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    context: dict | None = None,
) -> HttpResponse:
    """Render `form` in `template`, or on a valid POST make the change and redirect.

    `on_valid` gets the cleaned data and returns whatever the service returned; `success`
    and `next_url` are text or functions of that result (the new object's page, say).
    `context` is added to {"form": form} for the template.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = on_valid(form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            text = success(result) if callable(success) else success
            if text:
                messages.success(request, text)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **(context or {})})
