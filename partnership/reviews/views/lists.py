"""Lists across the reviews the user may see; themes and the review rules."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import forms, services
from ..display import Clock
from ..models import (
    ActionItem,
    ActionStatus,
    Deadline,
    LearningTheme,
    Review,
    ReviewRules,
)


@permission_required("reviews.access")
def review_list(request):
    filters = forms.ReviewFilterForm(request.GET or None)
    reviews = (
        Review.objects.visible_to(request.user)
        .select_related("case_manager")
        # A correlated subquery, worked out only for the page's rows (an aggregate over the
        # join would be worked out for every review before the page is cut).
        .annotate(
            next_due=Subquery(
                Deadline.objects.open()
                .filter(review=OuterRef("pk"))
                .order_by("due_on")
                .values("due_on")[:1]
            )
        )
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            reviews = reviews.filter(
                Q(reference__icontains=data["q"]) | Q(title__icontains=data["q"])
            )
        if data["status"]:
            reviews = reviews.filter(status=data["status"])
        if data["theme"]:
            reviews = reviews.filter(themes=data["theme"])
    page = paginate(request, reviews.order_by("-aware_on", "-pk"))
    return render(
        request,
        "reviews/review_list.html",
        {"page": page, "filters": filters, "clock": Clock.now()},
    )


@permission_required("reviews.manage_review")
def review_create(request):
    return _open_review(
        request, forms.NewReviewForm(posted(request)), template="reviews/review_create.html"
    )


@permission_required("reviews.manage_review")
def care_leaver_create(request):
    """The death of a care leaver: notified to the Secretary of State and Ofsted; a rapid
    review only if it meets the serious incident criteria as well."""
    return _open_review(
        request,
        forms.NewCareLeaverDeathForm(posted(request)),
        template="reviews/care_leaver_create.html",
    )


def _open_review(request, form, *, template):
    def success(review):
        if review.has_rapid_review:
            return f"The review {review.reference} is open and its clocks have started"
        return (
            f"The death has been recorded as {review.reference}: its notifications are "
            "due, and no rapid review is needed"
        )

    return form_page(
        request,
        form,
        template=template,
        on_valid=lambda data: services.incident_notify(
            incident=form.instance,
            abuse_types=data["abuse_types"],
            agencies=data["agencies"],
            title=data["title"],
            case_manager=data["case_manager"],
            themes=data["themes"],
            actor=actor_for(request),
        ),
        success=success,
        next_url=lambda review: review.get_absolute_url(),
        context={"rules": ReviewRules.current()},
    )


@permission_required("reviews.access")
def deadline_dashboard(request):
    """Every open clock across the reviews the user may see: overdue and due soon, by owner."""
    rules = ReviewRules.current()
    clock = Clock.now(rules)
    filters = forms.DeadlineFilterForm(request.GET or None)
    when, mine = "", False
    if filters.is_valid():
        when, mine = filters.cleaned_data["when"], filters.cleaned_data["mine"]
    deadlines = Deadline.objects.open().visible_to(request.user)
    if mine:
        deadlines = deadlines.filter(owner=request.user)
    owners = (
        deadlines.filter(due_on__lte=clock.soon_until)
        .values("owner_id", "owner__full_name")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=clock.today)),
            soon=Count("pk", filter=Q(due_on__gte=clock.today)),
        )
        .order_by("owner__full_name")
    )
    if when == "overdue":
        deadlines = deadlines.filter(due_on__lt=clock.today)
    elif when == "soon":
        deadlines = deadlines.filter(due_on__gte=clock.today, due_on__lte=clock.soon_until)
    elif when != "all":
        deadlines = deadlines.filter(due_on__lte=clock.soon_until)
    page = paginate(
        request,
        deadlines.select_related("review", "owner", "organisation").order_by("due_on", "pk"),
    )
    return render(
        request,
        "reviews/deadlines.html",
        {"page": page, "filters": filters, "clock": clock, "owners": list(owners[:50])},
    )


@permission_required("reviews.access")
def action_list(request):
    """Action-plan items across the reviews the user may see."""
    filters = forms.ActionFilterForm(request.GET or None)
    clock = Clock.now()
    actions = ActionItem.objects.filter(review__in=Review.objects.visible_to(request.user))
    status = ""
    if filters.is_valid():
        data = filters.cleaned_data
        status = data["status"]
        if data["organisation"]:
            actions = actions.filter(organisation=data["organisation"])
        if data["mine"]:
            actions = actions.filter(owner=request.user)
    if status == "overdue":
        actions = actions.exclude(status=ActionStatus.SIGNED_OFF).filter(due_on__lt=clock.today)
    elif status:
        actions = actions.filter(status=status)
    else:
        actions = actions.exclude(status=ActionStatus.SIGNED_OFF)
    page = paginate(
        request,
        actions.select_related("review", "recommendation", "organisation", "owner").order_by(
            "due_on", "pk"
        ),
    )
    return render(request, "reviews/action_list.html", {"page": page, "filters": filters})


@permission_required("reviews.access")
def recurring_themes(request):
    """How often each learning theme recurs across reviews, by the year of the incident."""
    reviews = Review.objects.visible_to(request.user)
    counts = (
        LearningTheme.objects.filter(reviews__in=reviews)
        .annotate(year=ExtractYear("reviews__aware_on"))
        .values("pk", "name", "year")
        .annotate(count=Count("reviews", distinct=True))
        .order_by("name", "year")
    )
    recommendation_counts = dict(
        LearningTheme.objects.filter(recommendations__review__in=reviews)
        .values("pk")
        .annotate(count=Count("recommendations", distinct=True))
        .values_list("pk", "count")
    )
    table: dict[int, dict] = {}
    years: set[int] = set()
    for row in counts:
        entry = table.setdefault(row["pk"], {"name": row["name"], "by_year": {}, "total": 0})
        entry["by_year"][row["year"]] = row["count"]
        entry["total"] += row["count"]
        years.add(row["year"])
    years_sorted = sorted(years)[-8:]  # the last eight years with any review fit on a page
    rows = sorted(table.items(), key=lambda item: (-item[1]["total"], item[1]["name"]))
    return render(
        request,
        "reviews/themes.html",
        {
            "rows": [
                {**entry, "recommendations": recommendation_counts.get(pk, 0)} for pk, entry in rows
            ],
            "years": years_sorted,
        },
    )


@permission_required("reviews.manage_themes")
def theme_list(request):
    page = paginate(request, LearningTheme.objects.order_by("display_order", "name"))
    return render(request, "reviews/theme_list.html", {"page": page})


def _theme(request, slug, **kwargs):
    return get_object_or_404(LearningTheme, slug=slug)


@permission_required("reviews.manage_themes")
def theme_create(request):
    return _theme_form(request, LearningTheme())


@permission_required("reviews.manage_themes", fn=_theme)
def theme_edit(request, slug, obj):
    return _theme_form(request, obj)


def _theme_form(request, theme):
    form = forms.ThemeForm(posted(request), instance=theme)
    return form_page(
        request,
        form,
        template="reviews/theme_form.html",
        on_valid=lambda data: services.theme_save(theme=form.instance, actor=actor_for(request)),
        success=lambda saved: f"The theme {saved.name} has been saved",
        next_url=reverse("reviews:theme-list"),
        context={"theme": theme},
    )


@permission_required("reviews.change_rules")
def rules_edit(request):
    rules = ReviewRules.current()
    form = forms.RulesForm(posted(request), instance=rules)
    return form_page(
        request,
        form,
        template="reviews/rules.html",
        on_valid=lambda data: services.rules_update(rules=form.instance, actor=actor_for(request)),
        success=lambda count: (
            f"The rules have been saved. Due dates have moved for {count} open "
            f"review{'s' if count != 1 else ''}; completed reviews keep theirs"
        ),
        next_url=reverse("reviews:rules"),
        context={"rules": rules},
    )
