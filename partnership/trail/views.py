from datetime import datetime, time, timedelta

from django.shortcuts import render
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.web.pagination import paginate

from .forms import TrailFilterForm
from .models import AuditEntry


@permission_required("audit.view_trail")
def trail(request):
    form = TrailFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_label__icontains=data["actor"])
        if data["actor_kind"]:
            entries = entries.filter(actor_kind=data["actor_kind"])
        if data["organisation"]:
            entries = entries.filter(actor_organisation__name__icontains=data["organisation"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"].strip().lower())
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            end = datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
            entries = entries.filter(at__lt=end)
    elif form.is_bound:
        entries = entries.none()
    page = paginate(request, entries.select_related("actor_organisation").order_by("-id"))
    return render(request, "audit/trail.html", {"form": form, "page": page})
