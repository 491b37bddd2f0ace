"""Your work (where signing in lands), My actions, and how you hear about new work."""

from collections import Counter

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnership.accounts.decorators import permission_required
from partnership.lib.work_items import WorkKind
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.pagination import paginate

from . import services
from .actions import my_actions, row_display
from .forms import ActionFilterForm, EmailPreferenceForm
from .providers import items_waiting_for


@permission_required("work.view_own_work")
@never_cache
def home(request):
    today = timezone.localdate()
    items = items_waiting_for(request.user, today=today)
    counts = Counter(item.kind for item in items)
    values = {k.value: k for k in WorkKind}
    kind = values.get(request.GET.get("kind", ""))
    shown = [item for item in items if item.kind == kind] if kind else items
    page = paginate(request, shown)
    return render(
        request,
        "work/home.html",
        {
            "page": page,
            "items": page.object_list,
            "total": len(items),
            "overdue": sum(1 for item in items if item.is_overdue(today)),
            "counts": [(k, counts[k]) for k in WorkKind if counts[k]],
            "kind": kind,
            "today": today,
        },
    )


@permission_required("work.view_own_work")
@never_cache
def actions(request):
    today = timezone.localdate()
    filters = ActionFilterForm(request.GET or None)
    options = {"status": "open", "module": "", "due_before": None}
    if filters.is_valid():
        data = filters.cleaned_data
        options = {
            "status": data["status"] or "open",
            "module": data["module"],
            "due_before": data["due_before"],
        }
    rows = my_actions(request.user, today=today, **options)
    page = paginate(request, rows if rows is not None else [])
    return render(
        request,
        "work/actions.html",
        {
            "filters": filters,
            "page": page,
            "rows": [row_display(row, today) for row in page.object_list],
            "status": options["status"],
        },
    )


@permission_required("work.view_own_work")
def email_preference(request):
    user = request.user
    form = EmailPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email": services.email_choice_of(user)},
    )
    return form_page(
        request,
        form,
        template="work/email.html",
        on_valid=lambda data: services.work_preference_set(
            user=user, email=data["email"], actor=actor_for(request)
        ),
        success="Your choice of email has been saved",
        next_url="work:home",
    )


@permission_required("work.view_own_work")
def menu(request):
    """Every page in the navigation the person may open: the "More" link's page, which
    works without JavaScript."""
    return render(request, "work/menu.html")
