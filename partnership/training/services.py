"""Writes to training records: each a keyword-only function, one transaction, audited.

Places (invariant 5). `Session.places_taken` counts the bookings holding a place (booked,
or offered from the waiting list). It moves only here, by conditional UPDATEs
(`places_taken < capacity` to take one), inside the transaction that writes the booking, and
the `session_never_overbooked` CHECK constraint stands behind them. On SQLite every write
transaction takes the database's write lock at BEGIN (IMMEDIATE), so bookings queue; on
PostgreSQL the conditional UPDATE locks the session's row and re-checks the condition once
the lock is granted. Either way, no interleaving of requests can overbook.

A person has at most one active booking on a session (a partial unique index), so a form sent
twice, or two requests at once, give one booking: the second call returns the first booking.
API calls may also carry an idempotency key per agency.

Emails are recorded as `BookingMessage` rows (unique per booking, kind and key, so nothing is
sent twice) and sent by a task in `mail` enqueued inside the same transaction: with the database
task backend, the email is queued if and only if the change is committed. (Services import
`mail`, never `tasks`: the daily sweep in `tasks` calls the services.)

Every writing service takes `actor: Actor` (made by the caller: a view from the signed-in
user, the API from the agency's token, the sweep as a named job, a private link as a visitor)
and names it in its audit entry; none takes the HTTP request.

Each service writes its audit entry last, after every row it locks, so that the audit chain's
lock is never held while waiting for a session's row (no deadlocks on PostgreSQL).
"""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import Role, RoleGrant, User
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from .mail import message_email_queue, registration_email_queue
from .models import (
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    Attendance,
    Booking,
    BookingMessage,
    BookingSource,
    BookingStatus,
    Course,
    Evaluation,
    ImpactResponse,
    Learner,
    MessageKind,
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    PlanEntry,
    PlanSource,
    Session,
    SessionStatus,
    SurveyStatus,
    Trainer,
    TrainingPlan,
    TrainingRules,
    waiting_position,  # noqa: F401 (views, the API and tests read it here)
)
from .tokens import (  # noqa: F401 (views read the feedback tokens here)
    REGISTRATION_DAYS,
    REGISTRATION_SALT,
    feedback_booking,
    feedback_token,
)

logger = logging.getLogger(__name__)


class TrainingError(Exception):
    """A request the rules do not allow, with a message to show and a code for the API."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Messages ----------------------------------------------------------------------------------


def message_queue(
    *, booking: Booking, kind: MessageKind | str, actor: Actor, key: str = ""
) -> bool:
    """Record that `booking`'s person is to get email `kind`, and queue it, rendered from
    the booking as it is now: once ever.

    Returns False if that message was already recorded (it is never sent twice).
    """
    try:
        with transaction.atomic():
            message = BookingMessage.objects.create(booking=booking, kind=kind, key=key)
    except IntegrityError:
        return False
    message.booking = booking
    message_email_queue(message, actor=actor)
    return True


# Booking -----------------------------------------------------------------------------------


@dataclass
class BookingOutcome:
    booking: Booking
    created: bool  # False when the call returned a booking made before (a repeat)


def booking_create(
    *,
    session_id: int,
    full_name: str,
    email: str,
    source: BookingSource | str,
    actor: Actor,
    user: User | None = None,
    organisation=None,
    organisation_other: str = "",
    job_title: str = "",
    manager_email: str = "",
    access_needs: str = "",
    agency=None,
    idempotency_key: str = "",
) -> BookingOutcome:
    """Book `email` a place on the session, or a place on its waiting list when it is full.

    Safe to repeat: if the person already has an active booking on the session (or the agency
    sent the same idempotency key before), that booking is returned with `created=False`.
    Raises TrainingError for a session that is cancelled, started or not open, and for an
    idempotency key reused for a different booking.
    """
    email = normalise_email(email)
    fields = {
        "full_name": " ".join(full_name.split()),
        "job_title": job_title.strip(),
        "organisation": organisation,
        "organisation_other": "" if organisation else organisation_other.strip(),
        "manager_email": normalise_email(manager_email),
        "access_needs": access_needs.strip(),
        "source": source,
        "agency": agency,
        "idempotency_key": idempotency_key,
    }
    try:
        return _booking_create(session_id, email, user, fields, actor)
    except IntegrityError:
        # A request for the same person (or with the same key) committed between our check
        # and our insert; its booking is the answer to this one too.
        with transaction.atomic():
            existing = _existing_booking(session_id, email, agency, idempotency_key)
        if existing is None:
            raise
        return BookingOutcome(existing, created=False)


def _existing_booking(session_id, email, agency, idempotency_key) -> Booking | None:
    bookings = Booking.objects.select_related("session__course", "organisation")
    if agency is not None and idempotency_key:
        earlier = bookings.filter(agency=agency, idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.session_id != session_id or earlier.email != email:
                raise TrainingError(
                    "This idempotency key was used for a different booking: use a new key "
                    "for each new booking",
                    "idempotency_key_reused",
                )
            return earlier
    return bookings.active().filter(session_id=session_id, email=email).first()


def _lock_session(session_id: int) -> Session:
    """The session, its row locked for the rest of the transaction (PostgreSQL; on SQLite the
    IMMEDIATE transaction already holds the database's write lock)."""
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_id)
    )


def _lock_booking(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__course")
        .get(pk=booking_id)
    )


@transaction.atomic
def _booking_create(session_id, email, user, fields, actor: Actor) -> BookingOutcome:
    # The session's row first, always: every write to a session's places takes this lock
    # before any booking's, so concurrent bookings and cancellations queue without deadlock.
    session = _lock_session(session_id)
    existing = _existing_booking(session_id, email, fields["agency"], fields["idempotency_key"])
    if existing is not None:
        return BookingOutcome(existing, created=False)
    now = timezone.now()
    if session.is_cancelled:
        raise TrainingError("This session has been cancelled, so it cannot be booked", "cancelled")
    if session.has_started(now):
        raise TrainingError(
            "This session has already taken place, so it cannot be booked", "session_started"
        )
    if not session.course.is_published:
        raise TrainingError("This course is not open for booking", "not_open")
    if session.is_full:
        # Offers that ran out give their places to the next in the queue, before a newcomer.
        _expire_session_offers(session, now, actor)
    took_place = Session.objects.filter(
        pk=session.pk, status=SessionStatus.SCHEDULED, places_taken__lt=F("capacity")
    ).update(places_taken=F("places_taken") + 1)
    if user is None:
        user = User.objects.filter(email__iexact=email).first()
    booking = Booking.objects.create(
        session=session,
        user=user,
        email=email,
        status=BookingStatus.CONFIRMED if took_place else BookingStatus.WAITING,
        confirmed_at=now if took_place else None,
        created_at=now,
        **fields,
    )
    message_queue(
        booking=booking,
        kind=MessageKind.CONFIRMED if took_place else MessageKind.WAITING,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=booking,
        summary=(
            f"Booked {booking.full_name} on {session}"
            if took_place
            else f"Added {booking.full_name} to the waiting list for {session}"
        ),
    )
    return BookingOutcome(booking, created=True)


def _hand_on_place(
    session: Session, now: dt.datetime, rules: TrainingRules, actor: Actor
) -> Booking | None:
    """A held place has just been given up: offer it to the first in the queue, else free it.

    Called inside the transaction that gave the place up, so the place never sits free
    while someone is waiting.
    """
    if session.status == SessionStatus.SCHEDULED and session.starts_at > now:
        first = (
            Booking.objects.select_for_update(of=("self",))
            .filter(session=session, status=BookingStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.status = BookingStatus.OFFERED
            first.offer_expires_at = min(
                now + dt.timedelta(hours=rules.offer_hours), session.starts_at
            )
            first.save(update_fields=["status", "offer_expires_at"])
            message_queue(booking=first, kind=MessageKind.OFFERED, actor=actor)
            return first
    Session.objects.filter(pk=session.pk, places_taken__gt=0).update(
        places_taken=F("places_taken") - 1
    )
    return None


def _expire_session_offers(session: Session, now: dt.datetime, actor: Actor) -> list[Booking]:
    """Close `session`'s offers whose time ran out, passing each place on.

    The caller holds the session's lock.
    """
    rules = TrainingRules.current()
    expired = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
    )
    for booking in expired:
        booking.session = session
        booking.status = BookingStatus.OFFER_EXPIRED
        booking.save(update_fields=["status"])
        message_queue(booking=booking, kind=MessageKind.OFFER_EXPIRED, actor=actor)
        _hand_on_place(session, now, rules, actor)
    return expired


def offers_expire(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Close every offer whose time ran out and offer each place to the next in line.

    One transaction per session, each taking the session's lock first, like every other
    write to a session's places.
    """
    now = now or timezone.now()
    session_ids = (
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    count = 0
    for session_id in list(session_ids):
        with transaction.atomic():
            session = _lock_session(session_id)
            expired = _expire_session_offers(session, now, actor)
            for booking in expired:
                audit_record(
                    actor=actor,
                    action=Action.UPDATE,
                    obj=booking,
                    summary=f"The offer of a place to {booking.full_name} expired",
                )
            count += len(expired)
    return count


def booking_cancel(
    *, booking: Booking, actor: Actor, by_training_team: bool = False, reason: str = ""
) -> Booking:
    """Cancel a booking, leave the waiting list, or turn down an offered place.

    People may cancel their own place up to the cut-off (`TrainingRules`, in working days
    before the session). After it only the training team can, and the cancellation is
    recorded as late (with the charge, if the partnership makes one) and reported to the
    person's manager, if they gave an address, once. Cancelling something
    already cancelled changes nothing. A place given up goes to the next in the queue.
    """
    now = timezone.now()
    rules = TrainingRules.current()
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        booking = _lock_booking(booking.pk)
        booking.session = session
        if booking.status not in ACTIVE_STATUSES:
            return booking
        late = False
        if booking.status == BookingStatus.CONFIRMED:
            if session.has_started(now) and not session.is_cancelled:
                raise TrainingError(
                    "This session has started, so the booking cannot be cancelled: record "
                    "attendance on the register instead",
                    "session_started",
                )
            deadline = session.self_cancel_deadline(rules)
            if timezone.localdate(now) > deadline:
                if not by_training_team:
                    raise TrainingError(
                        f"Places can only be cancelled online until {deadline:%-d %B %Y}. "
                        "Contact the training team to cancel now: a late cancellation may "
                        "be charged",
                        "cut_off_passed",
                    )
                late = True
        held_place = booking.status in PLACE_HOLDING_STATUSES
        previous = booking.get_status_display().lower()
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        update_fields = ["status", "cancelled_at"]
        if late:
            booking.attendance = Attendance.LATE_CANCELLATION
            booking.charge = rules.late_cancellation_charge or None
            update_fields += ["attendance", "charge"]
        booking.save(update_fields=update_fields)
        message_queue(booking=booking, kind=MessageKind.CANCELLED, actor=actor)
        if late and booking.manager_email:
            message_queue(booking=booking, kind=MessageKind.LATE_CANCELLATION_MANAGER, actor=actor)
        offered_to = _hand_on_place(session, now, rules, actor) if held_place else None
        summary = f"Cancelled {booking.full_name}'s booking ({previous}) on {session}"
        if late:
            summary += ", late"
        if reason:
            summary += f": {reason}"
        if offered_to is not None:
            summary += f"; place offered to {offered_to.full_name}"
        audit_record(actor=actor, action=Action.UPDATE, obj=booking, summary=summary)
    return booking


def offer_accept(*, booking: Booking, actor: Actor) -> Booking:
    """Take up a place offered from the waiting list, within its time limit."""
    now = timezone.now()
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        _expire_session_offers(session, now, actor)  # a late answer finds the place passed on
        booking = _lock_booking(booking.pk)
        if booking.status == BookingStatus.CONFIRMED:
            return booking
        if booking.status == BookingStatus.OFFER_EXPIRED:
            raise TrainingError(
                "The time to accept this place has run out, and it has been offered to the "
                "next person on the waiting list",
                "offer_expired",
            )
        if booking.status != BookingStatus.OFFERED:
            raise TrainingError("There is no place on offer for this booking", "no_offer")
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at"])
        message_queue(booking=booking, kind=MessageKind.CONFIRMED, actor=actor)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=booking,
            summary=f"{booking.full_name} accepted a place from the waiting list",
        )
    return booking


# Sessions ------------------------------------------------------------------------------------

SESSION_FIELDS = [
    "course",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "capacity",
    "price",
    "joining_instructions",
]
# Changes people with a place need to hear about (and their calendars to update).
NOTIFIED_FIELDS = {"starts_at", "ends_at", "venue", "online_link"}


def session_save(*, session: Session, trainers, actor: Actor) -> Session:
    """Create or change a session from a validated form's instance.

    The capacity may not go below the places already taken; raised capacity goes first to
    the waiting list, as offers. A change of time or place is sent to everyone booked.
    """
    now = timezone.now()
    rules = TrainingRules.current()
    with transaction.atomic():
        creating = session.pk is None
        if creating:
            session.save()
            before, after = {}, model_to_dict(session, fields=SESSION_FIELDS)
            changed = set()
        else:
            stored = _lock_session(session.pk)
            before = model_to_dict(stored, fields=SESSION_FIELDS)
            after = model_to_dict(session, fields=SESSION_FIELDS)
            changed = {key for key in SESSION_FIELDS if before[key] != after[key]}
            # The capacity moves only if the places already taken still fit under it.
            updated = Session.objects.filter(
                pk=session.pk, places_taken__lte=session.capacity
            ).update(
                **{field: getattr(session, field) for field in SESSION_FIELDS if field != "course"},
                course=session.course,
                sequence=F("sequence") + (1 if changed & NOTIFIED_FIELDS else 0),
            )
            if not updated:
                taken = Session.objects.values_list("places_taken", flat=True).get(pk=session.pk)
                raise TrainingError(
                    f"The places cannot be fewer than the {taken} already booked or offered",
                    "capacity_below_bookings",
                )
            session.refresh_from_db()
        session.trainers.set(trainers)
        offers = _fill_from_waiting_list(session, now, rules, actor)
        if changed & NOTIFIED_FIELDS:
            for booking in session.bookings.active():
                message_queue(
                    booking=booking,
                    kind=MessageKind.SESSION_CHANGED,
                    key=str(session.sequence),
                    actor=actor,
                )
        audit_record(
            actor=actor,
            action=Action.CREATE if creating else Action.UPDATE,
            obj=session,
            changes=diff(before, after),
            summary=f"{len(offers)} places offered from the waiting list" if offers else "",
        )
    return session


def _fill_from_waiting_list(session: Session, now, rules, actor: Actor) -> list[Booking]:
    """Offer any free places to the people waiting, first come first served."""
    offers = []
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        return offers
    waiting = (
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=BookingStatus.WAITING)
        .order_by("created_at", "pk")
    )
    for booking in waiting[: max(session.capacity - session.places_taken, 0)]:
        took = Session.objects.filter(pk=session.pk, places_taken__lt=F("capacity")).update(
            places_taken=F("places_taken") + 1
        )
        if not took:
            break
        booking.status = BookingStatus.OFFERED
        booking.offer_expires_at = min(
            now + dt.timedelta(hours=rules.offer_hours), session.starts_at
        )
        booking.save(update_fields=["status", "offer_expires_at"])
        message_queue(booking=booking, kind=MessageKind.OFFERED, actor=actor)
        offers.append(booking)
    return offers


def session_cancel(*, session: Session, reason: str, actor: Actor) -> int:
    """Cancel a session: every booking and waiting place is cancelled and told why.

    Returns how many people were told. Cancelling a cancelled session changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.is_cancelled:
            return 0
        if session.has_started(now):
            raise TrainingError(
                "This session has already started, so it cannot be cancelled", "session_started"
            )
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED,
            cancellation_reason=reason,
            places_taken=0,
            sequence=F("sequence") + 1,
        )
        session.refresh_from_db()
        bookings = list(
            session.bookings.select_for_update(of=("self",)).filter(status__in=ACTIVE_STATUSES)
        )
        for booking in bookings:
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
            message_queue(booking=booking, kind=MessageKind.SESSION_CANCELLED, actor=actor)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=session,
            summary=f"Cancelled the session ({reason}); {len(bookings)} people told",
        )
    return len(bookings)


# Attendance --------------------------------------------------------------------------------


def register_bookings(session: Session):
    """The people on a session's register: those booked, and those who cancelled late."""
    return (
        session.bookings.filter(
            Q(status=BookingStatus.CONFIRMED) | Q(attendance=Attendance.LATE_CANCELLATION)
        )
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


# The register outcomes reported to the person's manager, and the email each gets.
MANAGER_REPORTS = {
    Attendance.NO_SHOW: MessageKind.NO_SHOW_MANAGER,
    Attendance.LATE_CANCELLATION: MessageKind.LATE_CANCELLATION_MANAGER,
}


def attendance_record(
    *, session: Session, outcomes: dict[int, str], actor: Actor
) -> dict[str, int]:
    """Record the register: who attended, who did not, who cancelled late.

    A no-show or late cancellation gets the charge the partnership has set (if any) and is
    reported to the person's manager, once. Attendees of a session that has ended are sent the
    evaluation, once. Returns the count of each outcome recorded.
    """
    now = timezone.now()
    rules = TrainingRules.current()
    if not session.has_started(now):
        raise TrainingError(
            "Attendance can be recorded once the session has started", "session_not_started"
        )
    counts: dict[str, int] = {}
    with transaction.atomic():
        _lock_session(session.pk)
        bookings = {
            booking.pk: booking
            for booking in register_bookings(session).select_for_update(of=("self",))
        }
        for booking_id, outcome in outcomes.items():
            booking = bookings.get(booking_id)
            if booking is None:
                continue
            outcome = Attendance(outcome)
            counts[outcome] = counts.get(outcome, 0) + 1
            if booking.attendance == outcome:
                continue
            booking.attendance = outcome
            booking.charge = {
                Attendance.NO_SHOW: rules.no_show_charge,
                Attendance.LATE_CANCELLATION: rules.late_cancellation_charge,
            }.get(outcome) or None
            booking.save(update_fields=["attendance", "charge"])
            if booking.manager_email and outcome in MANAGER_REPORTS:
                message_queue(booking=booking, kind=MANAGER_REPORTS[outcome], actor=actor)
            if outcome == Attendance.ATTENDED and session.ends_at <= now:
                message_queue(booking=booking, kind=MessageKind.EVALUATION, actor=actor)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=session,
            summary="Recorded attendance: "
            + (
                ", ".join(
                    f"{Attendance(key).label.lower()} {value}" for key, value in counts.items()
                )
                or "no changes"
            ),
        )
    return counts


# Evaluation and impact -----------------------------------------------------------------------


def evaluation_submit(*, booking: Booking, answers: dict, actor: Actor) -> Evaluation:
    """Save the attendee's evaluation; a second one for the same booking is refused."""
    if booking.attendance != Attendance.ATTENDED:
        raise TrainingError("Only people who attended can evaluate the course", "not_attended")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(booking=booking, **answers)
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=evaluation,
                summary=f"Evaluation of {booking.session} received",
            )
    except IntegrityError as error:
        raise TrainingError("This course has already been evaluated", "already_answered") from error
    return evaluation


def impact_submit(
    *, booking: Booking, respondent: str, answers: dict, actor: Actor
) -> ImpactResponse:
    """Save an impact follow-up response; one per booking from each respondent."""
    try:
        with transaction.atomic():
            response = ImpactResponse.objects.create(
                booking=booking, respondent=respondent, **answers
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=response,
                summary=f"Impact follow-up ({respondent}) for {booking.session} received",
            )
    except IntegrityError as error:
        raise TrainingError(
            "This follow-up has already been answered", "already_answered"
        ) from error
    return response


# Registration ------------------------------------------------------------------------------


def learner_register(
    *,
    full_name: str,
    email: str,
    password: str,
    organisation,
    organisation_other: str,
    job_title: str,
    manager_email: str,
    actor: Actor,
    next_url: str = "",
) -> None:
    """Register for the booking portal: an email with a link to confirm the address.

    The answer, and what the caller sees, are the same whether or not the address already
    has an account (so nobody can find out who has one). If it has, the email says so and
    offers sign-in and password reset; an account still waiting for its confirmation takes
    the new details and gets a new link. `actor` is the visitor registering (not signed in).
    """
    email = normalise_email(email)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).select_related("learner").first()
        learner = getattr(user, "learner", None) if user else None
        pending = user is not None and not user.is_active and learner and not learner.confirmed_at
        if user is not None and not pending:
            make_password(password)  # the same work either way, so timing gives nothing away
            registration_email_queue(user=user, kind="already_registered", token="", actor=actor)
            return
        if user is None:
            user = User(email=email)
        user.full_name = " ".join(full_name.split())
        user.job_title = job_title.strip()
        user.organisation = organisation
        user.password = make_password(password)
        user.is_active = False
        user.save()
        Learner.objects.update_or_create(
            user=user,
            defaults={
                "organisation_other": "" if organisation else organisation_other.strip(),
                "manager_email": normalise_email(manager_email),
            },
        )
        token = signing.dumps([user.pk, next_url], salt=REGISTRATION_SALT)
        registration_email_queue(user=user, kind="confirm", token=token, actor=actor)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            summary="Registered for the training booking portal (email not yet confirmed)",
        )


def learner_confirm(*, token: str, actor: Actor) -> tuple[User, str] | None:
    """Confirm a registration from its emailed link: the account becomes a practitioner's.

    `actor` is whoever followed the link (a visitor, not yet signed in); once the link names
    the account, the trail records the person themselves, from the same address.
    Returns (user, where to go next), or None if the link is not valid or too old.
    """
    try:
        user_id, next_url = signing.loads(
            token, salt=REGISTRATION_SALT, max_age=dt.timedelta(days=REGISTRATION_DAYS)
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        learner = Learner.objects.filter(user_id=user_id).first()
        if user is None or learner is None:
            return None
        if learner.confirmed_at:
            # Already confirmed (the link followed twice): fine if the account is in use.
            return (user, next_url) if user.is_active else None
        user.is_active = True
        user.save(update_fields=["is_active"])
        learner.confirmed_at = timezone.now()
        learner.save(update_fields=["confirmed_at"])
        RoleGrant.objects.get_or_create(user=user, role=Role.PRACTITIONER)
        # Bookings an agency made for this address through the API become theirs to see.
        Booking.objects.filter(email=user.email, user__isnull=True).update(user=user)
        audit_record(
            actor=Actor.for_user(user, client_ip=actor.client_ip),
            action=Action.GRANT,
            obj=user,
            summary="Confirmed their email address: practitioner account for training",
        )
    return user, next_url


def learner_update_manager(*, user: User, manager_email: str) -> None:
    """Remember the manager's address a person gave when booking, for next time."""
    learner, _ = Learner.objects.get_or_create(user=user, defaults={"confirmed_at": timezone.now()})
    if manager_email and learner.manager_email != manager_email:
        learner.manager_email = normalise_email(manager_email)
        learner.save(update_fields=["manager_email"])


# The catalogue -------------------------------------------------------------------------------

COURSE_FIELDS = ["title", "course_type", "level", "audience", "summary", "learning_outcomes"]


def _unique_slug(model, text: str, exclude_pk=None) -> str:
    base = slugify(text)[:70] or "item"
    slug, counter = base, 2
    while model.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def course_save(*, course: Course, themes, actor: Actor) -> Course:
    creating = course.pk is None
    before = (
        {} if creating else model_to_dict(Course.objects.get(pk=course.pk), fields=COURSE_FIELDS)
    )
    if creating or not course.slug:
        course.slug = _unique_slug(Course, course.title, course.pk)
    course.save()
    course.themes.set(themes)
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=course,
        changes=diff(before, model_to_dict(course, fields=COURSE_FIELDS)),
    )
    return course


@transaction.atomic
def trainer_save(*, trainer: Trainer, actor: Actor) -> Trainer:
    creating = trainer.pk is None
    trainer.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=trainer,
    )
    return trainer


RULE_FIELDS = [
    "self_cancel_working_days",
    "reminder_days",
    "offer_hours",
    "impact_weeks",
    "impact_to_manager",
    "no_show_charge",
    "late_cancellation_charge",
]


@transaction.atomic
def rules_update(*, rules: TrainingRules, actor: Actor) -> TrainingRules:
    before = model_to_dict(TrainingRules.current(), fields=RULE_FIELDS)
    rules.pk = 1
    rules.updated_at = timezone.now()
    rules.updated_by = actor.user  # None when a job or a token changed them
    rules.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=rules,
        changes=diff(before, model_to_dict(rules, fields=RULE_FIELDS)),
    )
    return rules


# Needs analysis and the plan ---------------------------------------------------------------


@transaction.atomic
def survey_save(*, survey: NeedsSurvey, actor: Actor) -> NeedsSurvey:
    creating = survey.pk is None
    survey.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=survey,
        summary=f"{survey} is {survey.get_status_display().lower()}",
    )
    return survey


def _open_response(survey: NeedsSurvey, organisation) -> NeedsResponse:
    if survey.status != SurveyStatus.OPEN:
        raise TrainingError("This needs analysis is not open for responses", "survey_closed")
    response, _ = NeedsResponse.objects.get_or_create(survey=survey, organisation=organisation)
    return response


@transaction.atomic
def needs_line_save(
    *,
    survey: NeedsSurvey,
    organisation,
    theme,
    level: str,
    staff: int,
    notes: str,
    actor: Actor,
) -> NeedsLine:
    """Add, or change, how many of an agency's staff need a theme at a level."""
    response = _open_response(survey, organisation)
    line, created = NeedsLine.objects.update_or_create(
        response=response, theme=theme, level=level, defaults={"staff": staff, "notes": notes}
    )
    NeedsResponse.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=line,
        summary=f"{organisation}: {staff} staff need {theme} ({line.get_level_display()})",
    )
    return line


@transaction.atomic
def needs_line_remove(*, line: NeedsLine, actor: Actor) -> None:
    if line.response.survey.status != SurveyStatus.OPEN:
        raise TrainingError("This needs analysis is not open for responses", "survey_closed")
    label = str(line)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=line,
        summary=f"{line.response.organisation}: removed {label}",
    )
    line.delete()


@transaction.atomic
def needs_response_submit(
    *,
    survey: NeedsSurvey,
    organisation,
    workforce: int | None,
    comments: str,
    actor: Actor,
) -> NeedsResponse:
    response = _open_response(survey, organisation)
    response.workforce = workforce
    response.comments = comments
    response.submitted_at = timezone.now()
    response.submitted_by = actor.user
    response.updated_at = response.submitted_at
    response.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=response,
        summary=f"{organisation} sent its training needs for {survey.year_label}",
    )
    return response


@transaction.atomic
def plan_save(*, plan: TrainingPlan, actor: Actor) -> TrainingPlan:
    creating = plan.pk is None
    if plan.status == "approved" and plan.approved_on is None:
        plan.approved_on = timezone.localdate()
    plan.save()
    audit_record(actor=actor, action=Action.CREATE if creating else Action.UPDATE, obj=plan)
    return plan


@transaction.atomic
def plan_entry_save(*, entry: PlanEntry, actor: Actor) -> PlanEntry:
    creating = entry.pk is None
    entry.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=entry,
    )
    return entry


@transaction.atomic
def plan_entries_from_needs(*, plan: TrainingPlan, actor: Actor) -> int:
    """Draft a plan entry for each theme and level the needs analysis asks for.

    Entries already in the plan for a theme and level are left as they are, so this can be
    run again as more agencies answer. Returns how many entries were added.
    """
    from .reports import needs_summary

    if plan.survey is None:
        raise TrainingError("Choose the needs analysis this plan is built from first", "no_survey")
    existing = set(plan.entries.values_list("theme_id", "level"))
    added = 0
    for row in needs_summary(plan.survey).rows:
        if (row.theme.pk, row.level) in existing:
            continue
        PlanEntry.objects.create(
            plan=plan,
            title=f"{row.theme.name}: {row.level_label.split(': ')[-1]}",
            source=PlanSource.NEEDS_ANALYSIS,
            theme=row.theme,
            level=row.level,
            places_planned=row.staff,
            rationale=(
                f"{row.staff} staff in {row.agencies} "
                f"{'agency' if row.agencies == 1 else 'agencies'} need this "
                f"(needs analysis {plan.survey.year_label})."
            ),
        )
        added += 1
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=plan,
        summary=f"Added {added} entries from the needs analysis",
    )
    return added


def charge_total(bookings) -> Decimal:
    return sum((booking.charge or Decimal("0")) for booking in bookings)
