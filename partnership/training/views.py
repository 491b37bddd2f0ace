import contextlib
import csv
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required, public
from partnership.directory.models import Organisation
from partnership.trail.models import Action
from partnership.trail.services import audit_record
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from . import reports, services
from .certificates import certificate_pdf
from .forms import (
    AttendanceForm,
    BookForm,
    BookingCancelForm,
    CourseForm,
    EvaluationForm,
    ImpactForm,
    NeedsLineForm,
    NeedsSubmitForm,
    PlanEntryForm,
    PlanForm,
    RegisterForm,
    ReportFilterForm,
    RulesForm,
    SessionCancelForm,
    SessionFilterForm,
    SessionForm,
    SurveyForm,
    TrainerForm,
)
from .ics import booking_calendar
from .models import (
    ACTIVE_STATUSES,
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    Evaluation,
    ImpactResponse,
    Learner,
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    PlanEntry,
    Respondent,
    Session,
    SessionStatus,
    SurveyStatus,
    Trainer,
    TrainingPlan,
    TrainingRules,
    plan_year_of,
)

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


# The public portal -------------------------------------------------------------------------


def _filtered_sessions(filters):
    sessions = Session.objects.upcoming().select_related("course")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            sessions = sessions.filter(
                Q(course__title__icontains=data["q"]) | Q(course__summary__icontains=data["q"])
            )
        if data["course_type"]:
            sessions = sessions.filter(course__course_type=data["course_type"])
        if data["level"]:
            sessions = sessions.filter(course__level=data["level"])
        if data["theme"]:
            sessions = sessions.filter(course__themes__slug=data["theme"])
    return sessions.order_by("starts_at", "pk")


@public
def portal(request):
    """Training and events: every session open for booking, soonest first."""
    filters = SessionFilterForm(request.GET or None)
    page = paginate(request, _filtered_sessions(filters), per_page=PORTAL_PAGE_SIZE)
    return render(request, "training/portal.html", {"page": page, "filters": filters})


@public
def course_list(request):
    upcoming = (
        Session.objects.upcoming()
        .filter(course=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    courses = Course.objects.published().annotate(next_session=Subquery(upcoming))
    page = paginate(request, courses.order_by("title"))
    return render(request, "training/course_list.html", {"page": page})


@public
def course_detail(request, slug):
    course = get_object_or_404(Course.objects.published(), slug=slug)
    sessions = Session.objects.upcoming().filter(course=course).order_by("starts_at")
    page = paginate(request, sessions, per_page=PORTAL_PAGE_SIZE)
    return render(
        request,
        "training/course_detail.html",
        {"course": course, "themes": course.themes.all(), "page": page},
    )


def _own_active_booking(request, session):
    if not request.user.is_authenticated:
        return None
    return (
        Booking.objects.active().filter(session=session, email=request.user.email.lower()).first()
    )


@public
def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("course").filter(course__is_published=True), pk=pk
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "trainers": session.trainers.all(),
            "booking": _own_active_booking(request, session),
            "bookable": session.is_bookable(),
            "cancel_deadline": session.self_cancel_deadline(),
        },
    )


def _bookable_session(request, pk, **kwargs):
    return get_object_or_404(
        Session.objects.select_related("course").filter(course__is_published=True), pk=pk
    )


@permission_required("training.book", fn=_bookable_session)
@never_cache
def book(request, pk, obj):
    session = obj
    user = request.user
    existing = _own_active_booking(request, session)
    if existing is not None:
        messages.success(request, "You already have this booking")
        return redirect(existing)
    learner = Learner.objects.filter(user=user).first()
    form = BookForm(
        posted(request), initial={"manager_email": learner.manager_email if learner else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.booking_create(
                session_id=session.pk,
                full_name=user.full_name or user.email,
                email=user.email,
                user=user,
                organisation=user.organisation,
                organisation_other=learner.organisation_other if learner else "",
                job_title=user.job_title,
                manager_email=form.cleaned_data["manager_email"],
                access_needs=form.cleaned_data["access_needs"],
                source=BookingSource.PORTAL,
                actor=actor_for(request),
            )
        except services.TrainingError as error:
            form.add_error(None, error.message)
        else:
            if form.cleaned_data["manager_email"]:
                services.learner_update_manager(
                    user=user, manager_email=form.cleaned_data["manager_email"]
                )
            booking = outcome.booking
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, "Your place is booked. We have emailed you the details")
            else:
                messages.success(
                    request,
                    "The session is full, so you are on the waiting list. We will email you "
                    "if a place comes free",
                )
            return redirect(booking)
    return render(
        request,
        "training/book.html",
        {"session": session, "course": session.course, "form": form, "learner": learner},
    )


# People's own bookings ---------------------------------------------------------------------


@permission_required("training.view_own_bookings")
def my_bookings(request):
    now = timezone.now()
    mine = Booking.objects.filter(user=request.user).select_related("session__course")
    upcoming = list(
        mine.filter(status__in=ACTIVE_STATUSES, session__ends_at__gt=now).order_by(
            "session__starts_at"
        )[:100]
    )
    past = mine.exclude(pk__in=[booking.pk for booking in upcoming]).order_by(
        "-session__starts_at", "-pk"
    )
    page = paginate(request, past, per_page=PORTAL_PAGE_SIZE)
    return render(request, "training/my_bookings.html", {"upcoming": upcoming, "page": page})


def _booking(request, pk, **kwargs):
    return get_object_or_404(
        Booking.objects.select_related("session__course", "organisation"), pk=pk
    )


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_detail(request, pk, obj):
    booking = obj
    session = booking.session
    rules = TrainingRules.current()
    now = timezone.now()
    evaluation_link = None
    if (
        booking.attendance == Attendance.ATTENDED
        and session.ends_at <= now
        and not Evaluation.objects.filter(booking=booking).exists()
    ):
        evaluation_link = reverse(
            "training:evaluation",
            kwargs={"token": services.feedback_token(booking, Respondent.ATTENDEE)},
        )
    deadline = session.self_cancel_deadline(rules)
    return render(
        request,
        "training/booking_detail.html",
        {
            "booking": booking,
            "session": session,
            "course": session.course,
            "position": services.waiting_position(booking),
            "cancel_deadline": deadline,
            "can_self_cancel": booking.is_active
            and (booking.status != BookingStatus.CONFIRMED or timezone.localdate() <= deadline)
            and not session.has_started(now),
            "evaluation_link": evaluation_link,
            "is_own": booking.user_id == request.user.pk,
        },
    )


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_cancel(request, pk, obj):
    booking = obj
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, actor=actor_for(request))
        except services.TrainingError as refusal:
            error = refusal.message
        else:
            text = {
                BookingStatus.WAITING: "You have left the waiting list",
                BookingStatus.OFFERED: "You have turned down the place",
            }.get(booking.status, "Your booking is cancelled")
            messages.success(request, text)
            return redirect(booking)
    return render(
        request,
        "training/booking_cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "error": error,
            "cancel_deadline": booking.session.self_cancel_deadline(),
        },
    )


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_accept(request, pk, obj):
    booking = obj
    error = None
    if request.method == "POST":
        try:
            booking = services.offer_accept(booking=booking, actor=actor_for(request))
        except services.TrainingError as refusal:
            error = refusal.message
        else:
            messages.success(request, "The place is yours. We have emailed you the details")
            return redirect(booking)
    return render(
        request,
        "training/booking_accept.html",
        {"booking": booking, "session": booking.session, "error": error},
    )


@permission_required("training.view_booking", fn=_booking)
def booking_calendar_download(request, pk, obj):
    response = HttpResponse(booking_calendar(obj), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{obj.session_id}.ics"'
    return response


@permission_required("training.view_booking", fn=_booking)
def certificate(request, pk, obj):
    if obj.attendance != Attendance.ATTENDED:
        raise Http404("Certificates are for people who attended")
    response = HttpResponse(certificate_pdf(obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{obj.pk}.pdf"'
    return response


# Evaluation and impact (private links from emails) -------------------------------------------


def _feedback(token, respondent=None):
    found = services.feedback_booking(token)
    if found is None or (respondent and found[1] != respondent):
        raise Http404("This link is not right")
    return found


@public
@never_cache
def evaluation(request, token):
    booking, _ = _feedback(token, Respondent.ATTENDEE)
    session = booking.session
    context = {"booking": booking, "session": session, "course": session.course}
    if Evaluation.objects.filter(booking=booking).exists():
        return render(request, "training/feedback_done.html", context)
    if booking.attendance != Attendance.ATTENDED or session.ends_at > timezone.now():
        return render(request, "training/feedback_not_yet.html", context)
    form = EvaluationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in EvaluationForm.Meta.fields}
        # Sent twice at once: the first one counts.
        with contextlib.suppress(services.TrainingError):
            services.evaluation_submit(
                booking=booking,
                answers=answers,
                actor=actor_for(request, visitor_doing="course evaluation link"),
            )
        return redirect("training:evaluation", token=token)
    return render(request, "training/evaluation.html", {**context, "form": form})


@public
@never_cache
def impact(request, token):
    booking, respondent = _feedback(token)
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "course": session.course,
        "respondent": respondent,
        "impact": True,
    }
    if ImpactResponse.objects.filter(booking=booking, respondent=respondent).exists():
        return render(request, "training/feedback_done.html", context)
    if booking.attendance != Attendance.ATTENDED:
        return render(request, "training/feedback_not_yet.html", context)
    form = ImpactForm(posted(request), respondent=respondent)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in ImpactForm.Meta.fields}
        with contextlib.suppress(services.TrainingError):
            services.impact_submit(
                booking=booking,
                respondent=respondent,
                answers=answers,
                actor=actor_for(request, visitor_doing="training impact follow-up link"),
            )
        return redirect("training:impact", token=token)
    return render(request, "training/impact.html", {**context, "form": form})


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


# Running training ----------------------------------------------------------------------------


@permission_required("training.manage")
def manage(request):
    waiting = Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING))
    sessions = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, ends_at__gt=timezone.now())
        .select_related("course")
        .annotate(waiting=waiting)
        .order_by("starts_at", "pk")
    )
    page = paginate(request, sessions, per_page=25)
    needing_register = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            ends_at__lte=timezone.now(),
            ends_at__gte=timezone.now() - dt.timedelta(days=60),
        )
        .filter(
            Exists(
                Booking.objects.filter(
                    session=OuterRef("pk"),
                    status=BookingStatus.CONFIRMED,
                    attendance=Attendance.NOT_RECORDED,
                )
            )
        )
        .select_related("course")
        .order_by("-starts_at")[:20]
    )
    return render(
        request,
        "training/manage/dashboard.html",
        {"page": page, "needing_register": needing_register},
    )


@permission_required("training.manage")
def manage_courses(request):
    courses = Course.objects.annotate(
        session_count=Count("sessions", filter=Q(sessions__status=SessionStatus.SCHEDULED))
    ).order_by("title")
    page = paginate(request, courses)
    return render(request, "training/manage/course_list.html", {"page": page})


@permission_required("training.manage")
def course_create(request):
    form = CourseForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/course_form.html",
        on_valid=lambda data: services.course_save(
            course=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
        success=lambda course: f"{course.title} has been added",
        next_url="training:manage-courses",
    )


def _course(request, slug, **kwargs):
    return get_object_or_404(Course, slug=slug)


@permission_required("training.manage", fn=_course)
def course_edit(request, slug, obj):
    form = CourseForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/course_form.html",
        on_valid=lambda data: services.course_save(
            course=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url="training:manage-courses",
        context={"course": obj},
    )


@permission_required("training.manage")
def session_create(request):
    initial = {}
    course = Course.objects.filter(slug=request.GET.get("course", "")).first()
    if course:
        initial["course"] = course
    form = SessionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        template="training/manage/session_form.html",
        on_valid=_refused_on(
            "capacity",
            lambda data: services.session_save(
                session=form.instance, trainers=data["trainers"], actor=actor_for(request)
            ),
        ),
        success="The session has been added and is open for booking",
        next_url=lambda session: reverse("training:manage-session", kwargs={"pk": session.pk}),
    )


def _session(request, pk, **kwargs):
    return get_object_or_404(Session.objects.select_related("course"), pk=pk)


@permission_required("training.manage", fn=_session)
def manage_session(request, pk, obj):
    session = obj
    bookings = (
        session.bookings.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.OFFERED])
        .select_related("organisation")
        .order_by("full_name", "pk")
    )
    page = paginate(request, bookings)
    waiting = list(session.bookings.waiting_in_order().select_related("organisation")[:200])
    return render(
        request,
        "training/manage/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "page": page,
            "waiting": waiting,
            "trainers": session.trainers.all(),
            "breakdown": reports.agency_breakdown(session),
            "started": session.has_started(),
        },
    )


@permission_required("training.manage", fn=_session)
def session_edit(request, pk, obj):
    form = SessionForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/session_form.html",
        on_valid=_refused_on(
            "capacity",
            lambda data: services.session_save(
                session=form.instance, trainers=data["trainers"], actor=actor_for(request)
            ),
        ),
        success="Your changes have been saved",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.pk}),
        context={"session": obj},
    )


@permission_required("training.manage", fn=_session)
def session_cancel(request, pk, obj):
    form = SessionCancelForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/session_cancel.html",
        on_valid=_refused_on(
            None,
            lambda data: services.session_cancel(
                session=obj, reason=data["reason"], actor=actor_for(request)
            ),
        ),
        success=lambda told: f"The session is cancelled and {told} people have been told",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.pk}),
        context={"session": obj},
    )


@permission_required("training.manage", fn=_session)
def attendance(request, pk, obj):
    session = obj
    if not session.has_started():
        messages.success(request, "The register opens when the session starts")
        return redirect("training:manage-session", pk=session.pk)
    bookings = services.register_bookings(session)
    form = AttendanceForm(posted(request), bookings=bookings)
    return form_page(
        request,
        form,
        template="training/manage/attendance.html",
        on_valid=_refused_on(
            None,
            lambda data: services.attendance_record(
                session=session, outcomes=form.outcomes(), actor=actor_for(request)
            ),
        ),
        success=lambda counts: (
            f"The register is saved: {counts.get(Attendance.ATTENDED, 0)} attended, "
            f"{counts.get(Attendance.NO_SHOW, 0)} did not attend"
        ),
        next_url=reverse("training:manage-session", kwargs={"pk": session.pk}),
        context={"session": session},
    )


@permission_required("training.manage", fn=_session)
def session_export(request, pk, obj):
    """The session's bookings as CSV, for the trainer's sign-in sheet."""
    bookings = obj.bookings.exclude(status=BookingStatus.OFFER_EXPIRED).select_related(
        "organisation"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["Name", "Email", "Role", "Organisation", "Status", "Attendance", "Access needs", "Booked"]
    )
    for booking in bookings.order_by("status", "full_name"):
        writer.writerow(
            [
                reports._safe_cell(value)
                for value in (
                    booking.full_name,
                    booking.email,
                    booking.job_title,
                    booking.organisation_name,
                    booking.get_status_display(),
                    booking.get_attendance_display(),
                    booking.access_needs,
                    f"{timezone.localtime(booking.created_at):%Y-%m-%d %H:%M}",
                )
            ]
        )
    audit_record(
        actor=actor_for(request),
        action=Action.EXPORT,
        obj=obj,
        summary="Downloaded the bookings as CSV",
    )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{obj.pk}-bookings.csv"'
    return response


@permission_required("training.manage", fn=_booking)
def booking_cancel_for(request, pk, obj):
    """The training team cancels for someone: after the cut-off it is a late cancellation."""
    form = BookingCancelForm(posted(request))
    late = timezone.localdate() > obj.session.self_cancel_deadline()
    return form_page(
        request,
        form,
        template="training/manage/booking_cancel.html",
        on_valid=_refused_on(
            None,
            lambda data: services.booking_cancel(
                booking=obj,
                actor=actor_for(request),
                by_training_team=True,
                reason=data["reason"],
            ),
        ),
        success=f"{obj.full_name}'s booking is cancelled",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.session_id}),
        context={"booking": obj, "session": obj.session, "late": late},
    )


@permission_required("training.manage")
def trainers(request):
    pool = Trainer.objects.select_related("organisation").annotate(session_count=Count("sessions"))
    page = paginate(request, pool.order_by("-is_active", "full_name"))
    return render(request, "training/manage/trainer_list.html", {"page": page})


@permission_required("training.manage")
def trainer_create(request):
    form = TrainerForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/trainer_form.html",
        on_valid=lambda data: services.trainer_save(
            trainer=form.instance, actor=actor_for(request)
        ),
        success=lambda trainer: f"{trainer.full_name} has been added to the training pool",
        next_url="training:trainers",
    )


def _trainer(request, pk, **kwargs):
    return get_object_or_404(Trainer, pk=pk)


@permission_required("training.manage", fn=_trainer)
def trainer_edit(request, pk, obj):
    form = TrainerForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/trainer_form.html",
        on_valid=lambda data: services.trainer_save(
            trainer=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url="training:trainers",
        context={"trainer": obj},
    )


@permission_required("training.manage")
def rules_edit(request):
    form = RulesForm(posted(request), instance=TrainingRules.current())
    return form_page(
        request,
        form,
        template="training/manage/rules_form.html",
        on_valid=lambda data: services.rules_update(rules=form.instance, actor=actor_for(request)),
        success="The training rules have been saved",
        next_url="training:manage",
    )


# Needs analysis ----------------------------------------------------------------------------


@permission_required("training.answer_needs")
def surveys(request):
    surveys = NeedsSurvey.objects.annotate(
        submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False))
    )
    if not request.user.has_perm("training.view_needs"):
        surveys = surveys.exclude(status=SurveyStatus.DRAFT)
    page = paginate(request, surveys.order_by("-year"))
    return render(request, "training/needs/survey_list.html", {"page": page})


@permission_required("training.manage")
def survey_create(request):
    # The next year to plan for: in January to March that is the one starting in April.
    next_year = plan_year_of(timezone.localdate()) + 1
    form = SurveyForm(posted(request), initial={"year": next_year})
    return form_page(
        request,
        form,
        template="training/needs/survey_form.html",
        on_valid=lambda data: services.survey_save(survey=form.instance, actor=actor_for(request)),
        success=lambda survey: f"The needs analysis for {survey.year_label} has been set up",
        next_url=lambda survey: survey.get_absolute_url(),
    )


def _survey(request, year, **kwargs):
    return get_object_or_404(NeedsSurvey, year=year)


@permission_required("training.view_needs", fn=_survey)
def survey_detail(request, year, obj):
    summary = reports.needs_summary(obj)
    responses = obj.responses.select_related("organisation").annotate(staff=Count("lines"))
    page = paginate(request, responses.order_by("organisation__name"))
    plan = TrainingPlan.objects.filter(survey=obj).first()
    return render(
        request,
        "training/needs/survey_detail.html",
        {"survey": obj, "summary": summary, "page": page, "plan": plan},
    )


@permission_required("training.manage", fn=_survey)
def survey_edit(request, year, obj):
    form = SurveyForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/needs/survey_form.html",
        on_valid=lambda data: services.survey_save(survey=form.instance, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=lambda survey: survey.get_absolute_url(),
        context={"survey": obj},
    )


def _answering_for(request, year, **kwargs):
    """The agency being answered for: the user's own, or (for the business unit) any."""
    survey = get_object_or_404(NeedsSurvey, year=year)
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug and request.user.has_perm("training.manage"):
        organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    elif request.user.organisation_id:
        organisation = request.user.organisation
    else:
        organisation = None
    request.training_survey = survey
    return organisation


@permission_required("training.answer_needs_for", fn=_answering_for)
def needs_respond(request, year, obj):
    survey, organisation = request.training_survey, obj
    if organisation is None:
        raise Http404("Choose the organisation to answer for")
    response = NeedsResponse.objects.filter(survey=survey, organisation=organisation).first()
    line_form = NeedsLineForm(posted(request) if "add_line" in request.POST else None)
    submit_form = NeedsSubmitForm(
        posted(request) if "submit_response" in request.POST else None,
        initial={
            "workforce": response.workforce if response else None,
            "comments": response.comments if response else "",
        },
    )
    if request.method == "POST" and survey.status != SurveyStatus.OPEN:
        messages.success(request, "This needs analysis is closed: nothing was changed")
        return redirect(_respond_url(survey, organisation, request))
    if "add_line" in request.POST and line_form.is_valid():
        services.needs_line_save(
            survey=survey,
            organisation=organisation,
            actor=actor_for(request),
            **line_form.cleaned_data,
        )
        messages.success(request, "The training need has been added")
        return redirect(_respond_url(survey, organisation, request))
    if "submit_response" in request.POST and submit_form.is_valid():
        services.needs_response_submit(
            survey=survey,
            organisation=organisation,
            actor=actor_for(request),
            **submit_form.cleaned_data,
        )
        messages.success(request, f"Thank you: {organisation.name}'s training needs are sent")
        return redirect(_respond_url(survey, organisation, request))
    lines = NeedsLine.objects.filter(response=response).select_related("theme") if response else []
    return render(
        request,
        "training/needs/respond.html",
        {
            "survey": survey,
            "organisation": organisation,
            "response": response,
            "lines": lines,
            "line_form": line_form,
            "submit_form": submit_form,
            "for_other": organisation.pk != request.user.organisation_id,
        },
    )


def _respond_url(survey, organisation, request):
    url = reverse("training:needs-respond", kwargs={"year": survey.year})
    if organisation.pk != request.user.organisation_id:
        url += f"?organisation={organisation.slug}"
    return url


def _needs_line(request, year, pk, **kwargs):
    line = get_object_or_404(
        NeedsLine.objects.select_related("response__organisation", "response__survey"),
        pk=pk,
        response__survey__year=year,
    )
    request.training_line = line
    return line.response.organisation


@require_POST
@permission_required("training.answer_needs_for", fn=_needs_line)
def needs_line_remove(request, year, pk, obj):
    line = request.training_line
    try:
        services.needs_line_remove(line=line, actor=actor_for(request))
    except services.TrainingError as error:
        messages.success(request, error.message)
    else:
        messages.success(request, "The training need has been removed")
    return redirect(_respond_url(line.response.survey, obj, request))


# The plan ----------------------------------------------------------------------------------


@permission_required("training.view_plan")
def plans(request):
    page = paginate(request, TrainingPlan.objects.select_related("survey").order_by("-year"))
    return render(request, "training/plan/plan_list.html", {"page": page})


@permission_required("training.manage")
def plan_create(request):
    year = timezone.localdate().year
    form = PlanForm(
        posted(request),
        initial={"year": year, "survey": NeedsSurvey.objects.filter(year=year).first()},
    )
    return form_page(
        request,
        form,
        template="training/plan/plan_form.html",
        on_valid=lambda data: services.plan_save(plan=form.instance, actor=actor_for(request)),
        success=lambda plan: f"The training plan for {plan.year_label} has been set up",
        next_url=lambda plan: plan.get_absolute_url(),
    )


def _plan(request, year, **kwargs):
    return get_object_or_404(TrainingPlan.objects.select_related("survey"), year=year)


@permission_required("training.view_plan", fn=_plan)
def plan_detail(request, year, obj):
    plan = obj
    in_year = Q(
        sessions__starts_at__date__gte=plan.starts_on,
        sessions__starts_at__date__lte=plan.ends_on,
        sessions__status=SessionStatus.SCHEDULED,
    )
    # Places delivered for each entry's course within the plan's year.
    delivered = (
        Course.objects.filter(pk=OuterRef("course_id"))
        .annotate(
            places=Count(
                "sessions__bookings",
                filter=in_year & Q(sessions__bookings__status=BookingStatus.CONFIRMED),
            )
        )
        .values("places")
    )
    entries = (
        plan.entries.select_related("theme", "priority", "course")
        .annotate(places_booked=Subquery(delivered))
        .order_by("level", "title")
    )
    page = paginate(request, entries)
    summary = reports.needs_summary(plan.survey) if plan.survey else None
    return render(
        request,
        "training/plan/plan_detail.html",
        {"plan": plan, "page": page, "summary": summary},
    )


@permission_required("training.manage", fn=_plan)
def plan_edit(request, year, obj):
    form = PlanForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/plan/plan_form.html",
        on_valid=lambda data: services.plan_save(plan=form.instance, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=lambda plan: plan.get_absolute_url(),
        context={"plan": obj},
    )


@require_POST
@permission_required("training.manage", fn=_plan)
def plan_from_needs(request, year, obj):
    try:
        added = services.plan_entries_from_needs(plan=obj, actor=actor_for(request))
    except services.TrainingError as error:
        messages.success(request, error.message)
    else:
        messages.success(request, f"{added} entries added from the needs analysis")
    return redirect(obj)


@permission_required("training.manage", fn=_plan)
def plan_entry_create(request, year, obj):
    form = PlanEntryForm(posted(request))
    form.instance.plan = obj
    return form_page(
        request,
        form,
        template="training/plan/entry_form.html",
        on_valid=lambda data: services.plan_entry_save(
            entry=form.instance, actor=actor_for(request)
        ),
        success="The entry has been added to the plan",
        next_url=obj.get_absolute_url(),
        context={"plan": obj},
    )


def _plan_entry(request, year, pk, **kwargs):
    return get_object_or_404(PlanEntry.objects.select_related("plan"), pk=pk, plan__year=year)


@permission_required("training.manage", fn=_plan_entry)
def plan_entry_edit(request, year, pk, obj):
    form = PlanEntryForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/plan/entry_form.html",
        on_valid=lambda data: services.plan_entry_save(
            entry=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url=obj.plan.get_absolute_url(),
        context={"plan": obj.plan, "entry": obj},
    )


# Reports -----------------------------------------------------------------------------------


def _report(request):
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        report = reports.training_report(
            group=data["group"] or "course", start=data["start"], end=data["end"]
        )
    else:
        report = reports.training_report(group="course")
    return filters, report


@permission_required("training.view_reports")
def report(request):
    filters, report = _report(request)
    return render(
        request,
        "training/reports.html",
        {
            "filters": filters,
            "report": report,
            "columns": reports.COLUMNS,
            "figure": reports.format_figure,
        },
    )


def _export(request, content: bytes, content_type: str, extension: str, report):
    audit_record(
        actor=actor_for(request),
        action=Action.EXPORT,
        object_type="training.report",
        object_label=f"Training report by {report.group_label.lower()}",
        summary=f"Downloaded the training report by {report.group_label.lower()} ({extension})",
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="training-report-by-{report.group}.{extension}"'
    )
    return response


@permission_required("training.view_reports")
def report_csv(request):
    _, report = _report(request)
    return _export(request, reports.report_csv(report), "text/csv; charset=utf-8", "csv", report)


@permission_required("training.view_reports")
def report_xlsx(request):
    _, report = _report(request)
    return _export(
        request,
        reports.report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        report,
    )
