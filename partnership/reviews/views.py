"""Case review pages. Every page about a review finds it through `Review.objects.visible_to`
(a review outside the user's scope is a 404) and writes an audit VIEW entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required, public
from partnership.accounts.models import Role, User
from partnership.trail.models import Action, AuditEntry
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

from . import forms, services
from .deadlines import related
from .display import Clock
from .ics import deadlines_calendar
from .models import (
    CRITERIA_SECTIONS,
    ActionItem,
    ActionStatus,
    AgencyRequest,
    AgencySummary,
    Deadline,
    Declaration,
    EvidenceFile,
    Incident,
    LearningTheme,
    Notification,
    PanelMember,
    Publication,
    Recommendation,
    Review,
    ReviewAccess,
    ReviewDocument,
    ReviewRules,
)

# Helpers ------------------------------------------------------------------------------------


def _scoped_review(request, pk) -> Review:
    if not request.user.has_perm("reviews.access"):
        raise PermissionDenied
    return get_object_or_404(
        Review.objects.visible_to(request.user).select_related("group", "case_manager"), pk=pk
    )


def _review(request, pk, **kwargs) -> Review:
    return _scoped_review(request, pk)


def _viewed(request, review: Review, page: str) -> None:
    services.review_viewed(review=review, actor=actor_for(request), page=page)


def _form_page(
    request,
    review: Review,
    form,
    *,
    title: str,
    back: str,
    on_valid,
    success: str,
    caption: str = "",
    intro: str = "",
    submit_text: str = "Save",
    template: str = "reviews/form.html",
    context: dict | None = None,
):
    """Render a form about a review (the shared `form_page`); on a valid POST call
    `on_valid(cleaned_data)`, which may refuse with a ValidationError (shown on the form) or
    return where to go next (else `back`). A page shown, first or with its errors, is a view
    of the review on the record."""
    response = form_page(
        request,
        form,
        template=template,
        on_valid=on_valid,
        success=success,
        next_url=lambda target: target if isinstance(target, str) else back,
        context={
            "review": review,
            "title": title,
            "back": back,
            "caption": caption or f"{review.reference}: {review.title}",
            "intro": intro,
            "submit_text": submit_text,
            **(context or {}),
        },
    )
    if not isinstance(response, HttpResponseRedirect):
        _viewed(request, review, f"the form: {title}")
    return response


def _review_url(review: Review, name: str = "reviews:review", **kwargs) -> str:
    return reverse(name, kwargs={"pk": review.pk, **kwargs})


# Lists ------------------------------------------------------------------------------------


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


# Calendar feed ----------------------------------------------------------------------------


@permission_required("reviews.access")
def calendar(request):
    address = None
    if request.method == "POST":
        raw = services.calendar_token_issue(actor=actor_for(request))
        address = request.build_absolute_uri(
            reverse("reviews:calendar-feed", kwargs={"token": raw})
        )
    return render(
        request,
        "reviews/calendar.html",
        {"address": address, "has_address": bool(request.user.calendar_token)},
    )


@public
def calendar_feed(request, token):
    """The deadlines the token's owner may see, as iCalendar. The token is the credential:
    calendar programs cannot sign in."""
    if len(token) > 100:
        raise Http404
    user = User.objects.filter(
        calendar_token=services.calendar_token_hash(token), is_active=True
    ).first()
    if user is None or not user.has_role(*(set(Role) - {Role.PRACTITIONER})):
        raise Http404
    deadlines = (
        Deadline.objects.open()
        .visible_to(user)
        .select_related("review", "owner")
        .order_by("due_on", "pk")[:2000]
    )
    body = deadlines_calendar(deadlines, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# A review ---------------------------------------------------------------------------------


@permission_required("reviews.view_review", fn=_review)
def review_detail(request, pk, obj):
    review = obj
    incidents = list(
        review.incidents.prefetch_related(
            "abuse_types",
            "agencies",
            Prefetch("notifications", queryset=Notification.objects.order_by("pk")),
        )
    )
    deadlines = review.deadlines.open().order_by("due_on", "pk")[:20]
    _viewed(request, review, "the review")
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "incidents": incidents,
            "themes": list(review.themes.all()),
            "deadlines": list(deadlines),
            "clock": Clock.now(),
            "rapid": related(review, "rapid_review"),
            "local": related(review, "local_review"),
            "publication": related(review, "publication"),
            "section": "overview",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def review_edit(request, pk, obj):
    review = obj
    initial = {
        "title": review.title,
        "case_manager": review.case_manager,
        "themes": list(review.themes.all()),
    }
    form = forms.ReviewDetailsForm(posted(request), initial=initial)
    return _form_page(
        request,
        review,
        form,
        title="Change the review's details",
        back=_review_url(review),
        success="The review's details have been saved",
        on_valid=lambda data: services.review_update(
            review=review, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def incident_create(request, pk, obj):
    return _incident_form(request, obj, Incident(review=obj))


def _incident(request, pk, incident, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(Incident.objects.select_related("review"), pk=incident, review=review)


@permission_required("reviews.manage_review", fn=_incident)
def incident_edit(request, pk, incident, obj):
    return _incident_form(request, obj.review, obj)


def _incident_form(request, review, incident):
    creating = incident.pk is None
    form_class = forms.CareLeaverDeathForm if incident.care_leaver else forms.IncidentForm
    form = form_class(posted(request), instance=incident)

    def save(data):
        services.incident_save(
            incident=form.instance,
            abuse_types=data["abuse_types"],
            agencies=data["agencies"],
            actor=actor_for(request),
        )

    return _form_page(
        request,
        review,
        form,
        title="Add another child's incident to this review"
        if creating
        else ("Change the care leaver's record" if incident.care_leaver else "Change the incident"),
        back=_review_url(review),
        success="The incident has been saved; its notification dates follow it",
        on_valid=save,
        template="reviews/incident_form.html",
    )


def _notification(request, pk, notification, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Notification.objects.select_related("incident__review"),
        pk=notification,
        incident__review=review,
    )


@permission_required("reviews.manage_review", fn=_notification)
def notification_sent(request, pk, notification, obj):
    review = obj.incident.review
    form = forms.DateForm(
        posted(request),
        label="Date the notification was sent",
        field="sent_on",
        initial={"sent_on": obj.sent_on},
    )
    return _form_page(
        request,
        review,
        form,
        title=f"Record the notification to {obj.get_recipient_display()}",
        intro=f"{obj.incident.child_pseudonym}: the local authority became aware on "
        f"{obj.incident.aware_on:%-d %B %Y}. The notification was due by {obj.due_on:%-d %B %Y}.",
        back=_review_url(review),
        success=f"The notification to {obj.get_recipient_display()} has been recorded",
        on_valid=lambda data: services.notification_record_sent(
            notification=obj, sent_on=data["sent_on"], actor=actor_for(request)
        ),
    )


# Rapid review -----------------------------------------------------------------------------


def _rapid(review):
    rapid = related(review, "rapid_review")
    if rapid is None:
        raise Http404
    return rapid


@permission_required("reviews.view_review", fn=_review)
def rapid_review(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    summaries = list(rapid.summaries.select_related("organisation"))
    sign_offs = {s.partner_id: s for s in rapid.sign_offs.select_related("partner", "signed_by")}
    assessments = {a.criterion: a for a in rapid.assessments.all()}
    criteria = [
        (heading, [(c, assessments.get(c.value)) for c in items])
        for heading, items in CRITERIA_SECTIONS
    ]
    partner_rows = [(partner, sign_offs.get(partner.pk)) for partner in services.partners()]
    _viewed(request, review, "the rapid review")
    return render(
        request,
        "reviews/rapid_review.html",
        {
            "review": review,
            "rapid": rapid,
            "summaries": summaries,
            "criteria": criteria,
            "partner_rows": partner_rows,
            "all_signed": all(sign_off for _, sign_off in partner_rows),
            "clock": Clock.now(),
            "rules": ReviewRules.current(),
            "section": "rapid",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def letters(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    involved = Incident.agencies.through.objects.filter(incident__review=review).values_list(
        "organisation_id", flat=True
    )
    form = forms.LettersForm(
        posted(request),
        initial={"sent_on": rapid.letters_sent_on, "organisations": list(involved)},
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the agency letters",
        intro="Each agency chosen is asked for a summary, due by the rapid review's summaries "
        "date.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The letters have been recorded and the agencies' summaries are awaited",
        on_valid=lambda data: services.rapid_review_record_letters(
            rapid=rapid,
            sent_on=data["sent_on"],
            organisations=data["organisations"],
            actor=actor_for(request),
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def summary_add(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.SummaryAddForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Ask another agency for a summary",
        back=_review_url(review, "reviews:rapid-review"),
        success="The agency's summary is awaited",
        on_valid=lambda data: services.rapid_review_record_letters(
            rapid=rapid,
            sent_on=rapid.letters_sent_on or data["requested_on"],
            organisations=[data["organisation"]],
            actor=actor_for(request),
        ),
    )


def _summary(request, pk, summary, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        AgencySummary.objects.select_related("rapid_review__review", "organisation"),
        pk=summary,
        rapid_review__review=review,
    )


@permission_required("reviews.manage_review", fn=_summary)
def summary_received(request, pk, summary, obj):
    review = obj.rapid_review.review
    form = forms.DateForm(posted(request), label="Date received", field="received_on")
    return _form_page(
        request,
        review,
        form,
        title=f"Record the summary from {obj.organisation} as received",
        back=_review_url(review, "reviews:rapid-review"),
        success=f"The summary from {obj.organisation} has been recorded as received",
        on_valid=lambda data: services.agency_summary_receive(
            summary=obj, received_on=data["received_on"], actor=actor_for(request)
        ),
    )


def _suggested_criteria(review) -> set[str]:
    """The Panel's factors the incidents themselves point to, ticked for a first meeting."""
    suggested = set()
    for incident in review.incidents.prefetch_related("abuse_types"):
        if incident.educated_otherwise:
            suggested.add("factor_educated_otherwise")
        if incident.looked_after or incident.child_protection_plan:
            suggested.add("factor_care_or_plan")
        if incident.institutional_setting:
            suggested.add("factor_institutional")
        if len(incident.abuse_types.all()) > 1:
            suggested.add("factor_range_of_abuse")
    return suggested


@permission_required("reviews.manage_review", fn=_review)
def meeting(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.MeetingForm(
        posted(request),
        initial={"held_on": rapid.meeting_held_on, "immediate_actions": rapid.immediate_actions},
        assessments={a.criterion: a for a in rapid.assessments.all()},
        suggested=_suggested_criteria(review),
    )
    return _form_page(
        request,
        review,
        form,
        title="Rapid review meeting",
        back=_review_url(review, "reviews:rapid-review"),
        success="The rapid review meeting has been recorded",
        on_valid=lambda data: services.rapid_review_record_meeting(
            rapid=rapid,
            held_on=data["held_on"],
            immediate_actions=data["immediate_actions"].strip(),
            assessments=form.assessments(),
            actor=actor_for(request),
        ),
        template="reviews/meeting_form.html",
    )


@permission_required("reviews.manage_review", fn=_review)
def decision(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.DecisionForm(
        posted(request),
        initial={
            "decision": rapid.decision,
            "rationale": rapid.rationale,
            "decided_on": rapid.decided_on,
        },
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the decision",
        intro="The decision on further review, with its rationale against the criteria. "
        "Each safeguarding partner's lead then signs it off.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The decision has been recorded; it now needs the partners' sign-off",
        on_valid=lambda data: services.rapid_review_decide(
            rapid=rapid, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.sign_off_rapid_review", fn=_review)
def sign_off(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    for_self = not request.user.has_role(Role.BUSINESS_UNIT)
    form = forms.SignOffForm(posted(request), signing_for_self=for_self)

    def save(data):
        services.rapid_review_sign_off(
            rapid=rapid,
            signer=request.user if for_self else data["signer"],
            signed_on=data["signed_on"],
            actor=actor_for(request),
        )

    organisation = request.user.organisation
    return _form_page(
        request,
        review,
        form,
        title=f"Sign off the decision for {organisation}" if for_self else "Record a sign-off",
        back=_review_url(review, "reviews:rapid-review"),
        success="The sign-off has been recorded",
        submit_text="Sign off" if for_self else "Save",
        on_valid=save,
        template="reviews/sign_off_form.html",
        context={"rapid": rapid},
    )


@permission_required("reviews.manage_review", fn=_review)
def send_to_panel(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.DateForm(posted(request), label="Date sent to the Panel", field="sent_on")
    return _form_page(
        request,
        review,
        form,
        title="Send the decision to the Panel",
        intro="This completes the rapid review. For a local review, it starts the review and "
        "its publication clock.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The decision has been sent to the Panel and the rapid review is complete",
        on_valid=lambda data: services.rapid_review_send_to_panel(
            rapid=rapid, sent_on=data["sent_on"], actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def panel_response(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.PanelResponseForm(
        posted(request),
        initial={"response": rapid.panel_response, "response_on": rapid.panel_response_on},
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the Panel's response",
        back=_review_url(review, "reviews:rapid-review"),
        success="The Panel's response has been recorded",
        on_valid=lambda data: services.rapid_review_record_panel_response(
            rapid=rapid, actor=actor_for(request), **data
        ),
    )


# Local review -----------------------------------------------------------------------------


def _local(review):
    local = related(review, "local_review")
    if local is None:
        raise Http404
    return local


@permission_required("reviews.view_review", fn=_review)
def local_review(request, pk, obj):
    review = obj
    local = _local(review)
    panel = list(
        review.panel_members.select_related("user__organisation").prefetch_related("declarations")
    )
    _viewed(request, review, "the local review")
    return render(
        request,
        "reviews/local_review.html",
        {
            "review": review,
            "local": local,
            "commissions": list(review.commissions.select_related("reviewer__organisation")),
            "panel": panel,
            "requests": list(review.agency_requests.select_related("organisation")),
            "events": list(review.practitioner_events.all()),
            "monitoring": list(review.monitoring.select_related("recorded_by")[:20]),
            "clock": Clock.now(),
            "section": "local",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def terms(request, pk, obj):
    local = _local(obj)
    form = forms.TermsForm(
        posted(request), initial={"terms_of_reference": local.terms_of_reference}
    )
    return _form_page(
        request,
        obj,
        form,
        title="Terms of reference",
        back=_review_url(obj, "reviews:local-review"),
        success="The terms of reference have been saved",
        on_valid=lambda data: services.local_review_update_terms(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def commission(request, pk, obj):
    _local(obj)
    form = forms.CommissionForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Commission a reviewer",
        back=_review_url(obj, "reviews:local-review"),
        success="The reviewer has been commissioned and may now see this review",
        on_valid=lambda data: services.reviewer_commission(
            review=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def informed(request, pk, obj):
    local = _local(obj)
    form = forms.InformedForm(
        posted(request),
        initial={
            "panel_on": local.panel_informed_on,
            "ofsted_on": local.ofsted_informed_on,
            "dfe_on": local.dfe_informed_on,
        },
    )
    return _form_page(
        request,
        obj,
        form,
        title="Record who was told of the local review",
        intro="The Panel, Ofsted and the Department for Education are told as soon as a local "
        "review is decided, with the name of the reviewer.",
        back=_review_url(obj, "reviews:local-review"),
        success="The dates have been recorded",
        on_valid=lambda data: services.local_review_record_informed(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def pre_publication(request, pk, obj):
    local = _local(obj)
    form = forms.DateForm(
        posted(request),
        label="Date the final report was sent",
        field="sent_on",
        initial={"sent_on": local.pre_publication_notice_sent_on},
    )
    return _form_page(
        request,
        obj,
        form,
        title="Send the final report to the Panel and the Secretary of State",
        back=_review_url(obj, "reviews:local-review"),
        success="The pre-publication notice has been recorded",
        on_valid=lambda data: services.local_review_record_pre_publication_notice(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def panel_member_add(request, pk, obj):
    _local(obj)
    form = forms.PanelMemberForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Add a member to the review panel",
        intro="Panel members may see this review. Members with direct involvement in the "
        "case declare an interest.",
        back=_review_url(obj, "reviews:local-review"),
        success="The member has been added to the review panel",
        on_valid=lambda data: services.panel_member_add(
            review=obj, user=data["email"], role=data["role"], actor=actor_for(request)
        ),
    )


def _panel_member(request, pk, member, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        PanelMember.objects.select_related("review", "user"), pk=member, review=review
    )


@permission_required("reviews.declare_interest", fn=_panel_member)
def declaration_add(request, pk, member, obj):
    review = obj.review
    form = forms.DeclarationForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title=f"Declare an interest: {obj.user}",
        back=_review_url(review, "reviews:local-review"),
        success="The declaration has been recorded; the panel will make its recommendation",
        on_valid=lambda data: services.declaration_record(
            panel_member=obj, actor=actor_for(request), **data
        ),
    )


def _declaration(request, pk, declaration, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Declaration.objects.select_related("panel_member__review", "panel_member__user"),
        pk=declaration,
        panel_member__review=review,
    )


@permission_required("reviews.manage_review", fn=_declaration)
def declaration_recommend(request, pk, declaration, obj):
    review = obj.panel_member.review
    form = forms.ConflictRecommendationForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title=f"The panel's recommendation on {obj.panel_member.user}'s interest",
        intro=obj.interest,
        back=_review_url(review, "reviews:local-review"),
        success="The panel's recommendation has been recorded",
        on_valid=lambda data: services.declaration_recommend(
            declaration=obj, actor=actor_for(request), **data
        ),
    )


def _declaring_member(request, pk, declaration, **kwargs):
    """The panel member whose declaration it is: they, or the business unit, may appeal."""
    return _declaration(request, pk, declaration).panel_member


@permission_required("reviews.declare_interest", fn=_declaring_member)
def declaration_appeal(request, pk, declaration, obj):
    declaration_obj = get_object_or_404(Declaration, pk=declaration, panel_member=obj)
    review = obj.review
    form = forms.AppealForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Appeal to the independent chair",
        intro=f"The panel recommended: {declaration_obj.get_recommendation_display() or 'nothing yet'}.",
        back=_review_url(review, "reviews:local-review"),
        success="The appeal has been recorded",
        on_valid=lambda data: services.declaration_appeal(
            declaration=declaration_obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_declaration)
def declaration_decide(request, pk, declaration, obj):
    review = obj.panel_member.review
    form = forms.AppealDecisionForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Record the independent chair's decision on the appeal",
        intro=obj.appeal_grounds,
        back=_review_url(review, "reviews:local-review"),
        success="The independent chair's decision has been recorded",
        on_valid=lambda data: services.declaration_decide_appeal(
            declaration=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def request_add(request, pk, obj):
    _local(obj)
    form = forms.AgencyRequestForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Ask an agency for a chronology or learning summary",
        back=_review_url(obj, "reviews:local-review"),
        success="The request has been recorded",
        on_valid=lambda data: services.agency_request_add(
            review=obj, actor=actor_for(request), **data
        ),
    )


def _agency_request(request, pk, agency_request, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        AgencyRequest.objects.select_related("review", "organisation"),
        pk=agency_request,
        review=review,
    )


@permission_required("reviews.manage_review", fn=_agency_request)
def request_received(request, pk, agency_request, obj):
    form = forms.DateForm(posted(request), label="Date received", field="received_on")
    return _form_page(
        request,
        obj.review,
        form,
        title=f"Record the {obj} as received",
        back=_review_url(obj.review, "reviews:local-review"),
        success="It has been recorded as received",
        on_valid=lambda data: services.agency_request_receive(
            agency_request=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def event_add(request, pk, obj):
    _local(obj)
    form = forms.PractitionerEventForm(posted(request))
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Record a practitioner event",
        back=_review_url(obj, "reviews:local-review"),
        success="The practitioner event has been recorded",
        on_valid=lambda data: services.practitioner_event_add(
            event=form.instance, actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def monitoring_add(request, pk, obj):
    _local(obj)
    form = forms.MonitoringForm(posted(request))
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Record a check on time and quality",
        intro="Regulation 14: the time a review takes and its quality are monitored at regular "
        "intervals.",
        back=_review_url(obj, "reviews:local-review"),
        success="The check has been recorded",
        on_valid=lambda data: services.monitoring_record(
            entry=form.instance, actor=actor_for(request)
        ),
    )


# Documents --------------------------------------------------------------------------------


@permission_required("reviews.view_review", fn=_review)
def documents(request, pk, obj):
    page = paginate(request, obj.documents.select_related("uploaded_by"))
    _viewed(request, obj, "the documents")
    return render(
        request, "reviews/documents.html", {"review": obj, "page": page, "section": "documents"}
    )


@permission_required("reviews.upload_document", fn=_review)
def document_upload(request, pk, obj):
    form = forms.DocumentForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        reviewer=not request.user.has_role(Role.BUSINESS_UNIT),
    )
    return _form_page(
        request,
        obj,
        form,
        title="Upload a document",
        intro="Documents are kept privately and served only to people who may see this review; "
        "every download is recorded.",
        back=_review_url(obj, "reviews:documents"),
        success="The document has been uploaded",
        submit_text="Upload",
        on_valid=lambda data: services.document_upload(
            review=obj,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            actor=actor_for(request),
        ),
    )


def _serve(request, review: Review, stored, *, back: str):
    """The file, and then the "downloaded" entry: only once it has opened, so a file missing
    from storage is a page saying so (404) and no download on the record."""
    try:
        response = file_download(
            stored.file, filename=stored.original_name, content_type=stored.content_type
        )
    except Http404:
        return render(
            request,
            "reviews/file_missing.html",
            {"review": review, "name": stored.original_name, "back": back},
            status=404,
        )
    services.document_opened(review=review, document=stored, actor=actor_for(request))
    return response


@permission_required("reviews.view_review", fn=_review)
def document_download(request, pk, document, obj):
    item = get_object_or_404(ReviewDocument, pk=document, review=obj)
    return _serve(request, obj, item, back=_review_url(obj, "reviews:documents"))


# Publication ------------------------------------------------------------------------------


@permission_required("reviews.manage_review", fn=_review)
def publication_edit(request, pk, obj):
    existing = related(obj, "publication")
    publication = existing or Publication(review=obj, title=obj.title)
    form = forms.PublicationForm(posted(request), instance=publication, review=obj)
    return _form_page(
        request,
        obj,
        form,
        title="Publication",
        intro="What the public site shows: the report and its executive summary, or (where the "
        "report is not published by decision) information about the improvements, with the "
        "partnership's response.",
        back=_review_url(obj),
        success="The publication has been saved",
        on_valid=lambda data: (
            services.publication_save(publication=form.instance, actor=actor_for(request))
            and _review_url(obj, "reviews:publish")
        ),
        template="reviews/publication_form.html",
        context={"publication": existing},
    )


@permission_required("reviews.manage_review", fn=_review)
def publish(request, pk, obj):
    publication = related(obj, "publication")
    if publication is None:
        return redirect("reviews:publication", pk=obj.pk)
    form = forms.DateForm(
        posted(request),
        label="Publication date",
        field="published_on",
        initial={"published_on": publication.published_on},
        hint="It appears on the public site from this date.",
    )
    return _form_page(
        request,
        obj,
        form,
        title="Publish on the website",
        back=_review_url(obj),
        success="The review is published",
        submit_text="Publish",
        on_valid=lambda data: services.publication_publish(
            publication=publication, actor=actor_for(request), **data
        ),
        template="reviews/publish.html",
        context={"publication": publication, "rules": ReviewRules.current()},
    )


# Recommendations and actions --------------------------------------------------------------


@permission_required("reviews.view_review", fn=_review)
def recommendations(request, pk, obj):
    page = paginate(
        request,
        obj.recommendations.prefetch_related("themes")
        .order_by("number")
        .annotate(
            action_count=Count("actions"),
            open_count=Count("actions", filter=~Q(actions__status=ActionStatus.SIGNED_OFF)),
        ),
    )
    products = list(obj.learning_products.all())
    _viewed(request, obj, "the recommendations")
    return render(
        request,
        "reviews/recommendations.html",
        {"review": obj, "page": page, "products": products, "section": "recommendations"},
    )


@permission_required("reviews.manage_review", fn=_review)
def recommendation_add(request, pk, obj):
    form = forms.RecommendationForm(posted(request))
    form.instance.review = obj

    def save(data):
        item = services.recommendation_save(
            recommendation=form.instance, themes=data["themes"], actor=actor_for(request)
        )
        return item.get_absolute_url()

    return _form_page(
        request,
        obj,
        form,
        title="Add a recommendation",
        back=_review_url(obj, "reviews:recommendations"),
        success="The recommendation has been added",
        on_valid=save,
    )


def _recommendation(request, pk, number, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Recommendation.objects.select_related("review__group"), review=review, number=number
    )


@permission_required("reviews.view_review", fn=_recommendation)
def recommendation_detail(request, pk, number, obj):
    actions = list(obj.actions.select_related("organisation", "owner"))
    _viewed(request, obj.review, f"recommendation {obj.number}")
    return render(
        request,
        "reviews/recommendation_detail.html",
        {
            "review": obj.review,
            "recommendation": obj,
            "actions": actions,
            "themes": list(obj.themes.all()),
            "products": list(obj.learning_products.all()),
            "section": "recommendations",
        },
    )


@permission_required("reviews.manage_review", fn=_recommendation)
def recommendation_edit(request, pk, number, obj):
    form = forms.RecommendationForm(posted(request), instance=obj)
    return _form_page(
        request,
        obj.review,
        form,
        title=f"Change recommendation {obj.number}",
        back=obj.get_absolute_url(),
        success="The recommendation has been saved",
        on_valid=lambda data: services.recommendation_save(
            recommendation=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_recommendation)
def action_add(request, pk, number, obj):
    return _action_form(request, ActionItem(recommendation=obj, review=obj.review), obj)


def _action(request, pk, action, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        ActionItem.objects.select_related(
            "review__group", "recommendation", "organisation", "owner", "signed_off_by"
        ),
        pk=action,
        review=review,
    )


@permission_required("reviews.manage_review", fn=_action)
def action_edit(request, pk, action, obj):
    return _action_form(request, obj, obj.recommendation)


def _action_form(request, action, recommendation):
    form = forms.ActionForm(posted(request), instance=action)

    def save(data):
        form.instance.owner = data["owner_email"]
        services.action_save(action=form.instance, actor=actor_for(request))

    return _form_page(
        request,
        recommendation.review,
        form,
        title="Change the action" if action.pk else "Add an action",
        intro=f"Recommendation {recommendation.number}: {recommendation.text}",
        back=recommendation.get_absolute_url(),
        success="The action has been saved",
        on_valid=save,
    )


@permission_required("reviews.view_review", fn=_action)
def action_detail(request, pk, action, obj):
    _viewed(request, obj.review, f"action {obj.pk}")
    return render(
        request,
        "reviews/action_detail.html",
        {
            "review": obj.review,
            "action": obj,
            "files": list(obj.files.select_related("uploaded_by")),
            "section": "recommendations",
        },
    )


@permission_required("reviews.submit_evidence", fn=_action)
def evidence(request, pk, action, obj):
    form = forms.EvidenceForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"evidence": obj.evidence},
    )
    return _form_page(
        request,
        obj.review,
        form,
        title="Send the evidence of completion",
        intro=obj.description,
        back=obj.get_absolute_url(),
        success="The evidence has been sent to the group for sign-off",
        submit_text="Send",
        on_valid=lambda data: services.action_submit_evidence(
            action=obj,
            evidence=data["evidence"],
            files=[data["file"]] if data["file"] else [],
            submitted_on=services.today(),
            actor=actor_for(request),
        ),
    )


@permission_required("reviews.view_review", fn=_action)
def evidence_download(request, pk, action, file, obj):
    item = get_object_or_404(EvidenceFile, pk=file, action=obj)
    return _serve(request, obj.review, item, back=obj.get_absolute_url())


@permission_required("reviews.sign_off_action", fn=_action)
def action_sign_off(request, pk, action, obj):
    form = forms.ActionSignOffForm(posted(request))
    return _form_page(
        request,
        obj.review,
        form,
        title="Sign off the action",
        intro=obj.evidence or "No evidence has been sent yet.",
        back=obj.get_absolute_url(),
        success="The action has been signed off",
        submit_text="Sign off",
        on_valid=lambda data: services.action_sign_off(
            action=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def product_add(request, pk, obj):
    form = forms.LearningProductForm(posted(request), review=obj)
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Add a learning product",
        intro="A 7-minute briefing, a 60-minute briefing or a newsletter item that spreads the "
        "review's learning.",
        back=_review_url(obj, "reviews:recommendations"),
        success="The learning product has been added",
        on_valid=lambda data: services.learning_product_save(
            product=form.instance,
            recommendations=data["recommendations"],
            actor=actor_for(request),
        ),
    )


# Access and viewers -----------------------------------------------------------------------


@permission_required("reviews.manage_review", fn=_review)
def access(request, pk, obj):
    form = forms.AccessForm(posted(request))
    back = _review_url(obj, "reviews:access")
    grants = list(obj.access_grants.select_related("user__organisation", "added_by"))
    return _form_page(
        request,
        obj,
        form,
        title="Who may see this review",
        back=_review_url(obj),
        success="They have been added to the access list",
        submit_text="Add to the access list",
        on_valid=lambda data: (
            services.access_grant(review=obj, user=data["email"], actor=actor_for(request)) and back
        ),
        template="reviews/access.html",
        context={"grants": grants, "section": "access"},
    )


@require_POST
@permission_required("reviews.manage_review", fn=_review)
def access_remove(request, pk, grant, obj):
    item = get_object_or_404(
        ReviewAccess.objects.select_related("user", "review"), pk=grant, review=obj
    )
    services.access_revoke(grant=item, actor=actor_for(request))
    messages.success(request, f"{item.user} has been removed from the access list")
    return redirect("reviews:access", pk=obj.pk)


@permission_required("reviews.view_viewers", fn=_review)
def viewers(request, pk, obj):
    # On the record first, so this look is counted in the page it shows.
    _viewed(request, obj, "who has viewed this review")
    entries = AuditEntry.objects.filter(
        object_type=Review._meta.label_lower,
        object_id=str(obj.pk),
        action__in=[Action.VIEW, Action.DOWNLOAD],
    ).order_by("-id")
    page = paginate(request, entries)
    people = entries.values("actor_label").annotate(count=Count("pk")).order_by("-count")[:50]
    return render(
        request,
        "reviews/viewers.html",
        {"review": obj, "page": page, "people": list(people), "section": "viewers"},
    )
