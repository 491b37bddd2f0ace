"""Registering for the booking portal, and confirming the address from the emailed link."""

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from partnership.accounts.decorators import public
from partnership.trail.models import Action
from partnership.trail.services import audit_record
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import services
from ..forms import (
    RegisterForm,
)
from .common import _safe_next

# Registering -----------------------------------------------------------------------------------


@public
@sensitive_post_parameters("password")
@never_cache
def register(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "training:my-bookings")
    form = RegisterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.learner_register(
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"],
            organisation=data["organisation"],
            organisation_other=data["organisation_other"],
            job_title=data["job_title"],
            manager_email=data["manager_email"],
            next_url=next_url,
            actor=actor_for(request, visitor_doing="registering to book training"),
        )
        request.session["training_registered_email"] = data["email"]
        return redirect("training:register-sent")
    return render(request, "training/register.html", {"form": form, "next": next_url})


@public
def register_sent(request):
    return render(
        request,
        "training/register_sent.html",
        {"email": request.session.get("training_registered_email", "")},
    )


@public
@never_cache
def register_confirm(request, token):
    confirmed = services.learner_confirm(
        token=token, actor=actor_for(request, visitor_doing="confirming a training registration")
    )
    if confirmed is None:
        return render(request, "training/register_invalid.html", status=400)
    user, next_url = confirmed
    if not request.user.is_authenticated or request.user.pk != user.pk:
        with transaction.atomic():
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            audit_record(
                actor=actor_for(request),  # the person just signed in
                action=Action.SIGN_IN,
                obj=user,
                summary="Signed in by confirming their email address",
            )
    messages.success(request, "Your email address is confirmed. You can now book training")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("training:portal")
