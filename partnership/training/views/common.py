"""Shared by the training pages: the portal's page size, the refusal bridge for form_page, safe
"next" links, and looking up a booking.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from .. import services
from ..models import Booking

PORTAL_PAGE_SIZE = 20


def _refused_on(field: str | None, service):
    """`service` as form_page's on_valid: a rule it refuses (TrainingError) is shown on the
    form, against `field` or above the form, like any other error."""

    def call(data):
        try:
            return service(data)
        except services.TrainingError as error:
            raise ValidationError({field: error.message} if field else error.message) from error

    return call


def _safe_next(request, default=""):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _booking(request, pk, **kwargs):
    return get_object_or_404(
        Booking.objects.select_related("session__course", "organisation"), pk=pk
    )
