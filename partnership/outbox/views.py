from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.pagination import paginate

from . import services
from .forms import EmailFilterForm
from .models import OutgoingEmail


def _email(request, pk):
    return get_object_or_404(OutgoingEmail.objects.select_related("related_type"), pk=pk)


@permission_required("outbox.view_email")
def email_list(request):
    kinds = list(OutgoingEmail.objects.order_by("kind").values_list("kind", flat=True).distinct())
    form = EmailFilterForm(request.GET or None, kinds=kinds)
    emails = OutgoingEmail.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["to"]:
            emails = emails.filter(to__icontains=data["to"].strip())
        if data["status"]:
            emails = emails.filter(status=data["status"])
        if data["kind"]:
            emails = emails.filter(kind=data["kind"])
        if data["batch"]:
            emails = emails.filter(batch=data["batch"])
    elif form.is_bound:
        emails = emails.none()
    page = paginate(
        request,
        emails.only("pk", "to", "subject", "kind", "status", "attempts", "queued_at", "sent_at"),
    )
    return render(
        request,
        "outbox/email_list.html",
        {"form": form, "page": page, "max_attempts": settings.OUTBOX_MAX_ATTEMPTS},
    )


@permission_required("outbox.view_email", fn=_email)
def email_detail(request, pk, obj):
    services.email_open(email=obj, actor=actor_for(request))
    related = obj.related if obj.related_type_id else None
    related_url = getattr(related, "get_absolute_url", None)
    return render(
        request,
        "outbox/email_detail.html",
        {
            "email": obj,
            "history": obj.history.all(),
            "related": related,
            "related_url": related_url() if related_url else "",
            "from_email": settings.DEFAULT_FROM_EMAIL,
            "show_body": not obj.secret or settings.DEBUG,
        },
    )


@permission_required("outbox.retry_email", fn=_email)
@require_POST
def email_retry(request, pk, obj):
    try:
        email = services.email_retry(email=obj, actor=actor_for(request))
    except services.EmailNotRetryable as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The email to {email.to} is being sent again")
    return redirect(request.POST.get("next") if _safe_next(request) else obj)


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
