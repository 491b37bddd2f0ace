"""Writes to the directory, each with its audit entry in the same transaction: organisations,
API tokens, and the people of the partnership with their accounts (added, invited, given
roles, ended)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import User
from partnership.accounts.services import (
    account_create,
    invitation_send,
    role_grant,
    user_deactivate,
    user_reactivate,
)
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from . import onboarding
from .models import (
    AgencyToken,
    FormerName,
    ImportStatus,
    Organisation,
    PeopleImport,
    Person,
)

AUDITED_FIELDS = ["name", "short_name", "kind", "parent", "description", "website", "is_active"]


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor: Actor) -> Organisation:
    """Create or update an organisation from a validated form's instance."""
    creating = organisation.pk is None
    before = (
        {}
        if creating
        else model_to_dict(Organisation.objects.get(pk=organisation.pk), fields=AUDITED_FIELDS)
    )
    if creating or not organisation.slug:
        organisation.slug = _unique_slug(organisation.name, organisation.pk)
    organisation.save()
    after = model_to_dict(organisation, fields=AUDITED_FIELDS)
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=organisation,
        changes=diff(before, after),
    )
    return organisation


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def organisation_rename(
    *,
    organisation: Organisation,
    name: str,
    short_name: str,
    renamed_on: datetime.date,
    actor: Actor,
) -> FormerName:
    """Give an organisation a new name from `renamed_on`, keeping the old one as a former name
    used until the day before (a CCG whose work passed to an ICB, a school become an academy).

    Historical records then print the name of their day (`Organisation.name_on`); the slug, and
    so every link, stays. Refused: an empty name, the current name again, another
    organisation's name, a date in the future, a date not after the last renaming.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    name = " ".join(name.split())
    short_name = " ".join(short_name.split())
    if not any(character.isalnum() for character in name):
        raise ValidationError({"name": "Enter the new name"}, code="no_name")
    if name == organisation.name:
        raise ValidationError(
            {"name": "The new name is the same as the current name"}, code="same_name"
        )
    if Organisation.objects.exclude(pk=organisation.pk).filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": "An organisation with this name already exists"}, code="name_taken"
        )
    today = timezone.localdate()
    if renamed_on > today:
        raise ValidationError(
            {"renamed_on": "The date of the change must be today or in the past"},
            code="future",
        )
    if organisation.name_since is not None and renamed_on <= organisation.name_since:
        raise ValidationError(
            {
                "renamed_on": "The date of the change must be after "
                f"{_long_date(organisation.name_since)}, when the current name came into use"
            },
            code="before_last_change",
        )
    former = FormerName.objects.create(
        organisation=organisation,
        name=organisation.name,
        short_name=organisation.short_name,
        used_until=renamed_on - datetime.timedelta(days=1),
    )
    before = {"name": organisation.name, "short_name": organisation.short_name}
    organisation.name, organisation.short_name, organisation.name_since = (
        name,
        short_name,
        renamed_on,
    )
    organisation.save(update_fields=["name", "short_name", "name_since"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=organisation,
        changes=diff(before, {"name": name, "short_name": short_name}),
        summary=f"Renamed from {former.name} on {_long_date(renamed_on)}",
    )
    return former


@transaction.atomic
def token_issue(*, organisation: Organisation, name: str, actor: Actor) -> str:
    """Issue an API token for an agency; returns the raw token, shown to the user once."""
    token, raw = AgencyToken.issue(organisation=organisation, name=name, created_by=actor.user)
    audit_record(
        actor=actor,
        action=Action.GRANT,
        obj=token,
        summary=f"Issued API token {token.prefix}… for {organisation}",
    )
    return raw


@transaction.atomic
def token_revoke(*, token: AgencyToken, actor: Actor, why: str = "") -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.REVOKE,
        obj=token,
        summary=f"Revoked API token {token.prefix}…" + (f" ({why})" if why else ""),
    )


# People ---------------------------------------------------------------------------------
# The business unit adds, changes and ends people; nobody with a history is deleted. A
# person's account (accounts.User) is made by inviting them.

PERSON_FIELDS = ["full_name", "job_title", "email", "phone", "organisation", "started_on"]


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


def _check_person(*, full_name: str, organisation: Organisation) -> None:
    if not any(character.isalnum() for character in full_name):
        raise ValidationError({"full_name": "Enter the person's full name"}, code="no_name")
    if organisation is None:
        raise ValidationError({"organisation": "Select the organisation"}, code="no_organisation")
    if not organisation.is_active:
        raise ValidationError(
            {"organisation": f"{organisation} is no longer active: select another"},
            code="inactive_organisation",
        )


@transaction.atomic
def person_add(
    *,
    organisation: Organisation,
    full_name: str,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    started_on: datetime.date | None = None,
    actor: Actor,
) -> Person:
    """Add a person to an organisation's entry in the directory."""
    full_name = _tidy(full_name)
    _check_person(full_name=full_name, organisation=organisation)
    person = Person.objects.create(
        organisation=organisation,
        full_name=full_name,
        job_title=_tidy(job_title),
        email=email.strip().lower(),
        phone=phone.strip(),
        started_on=started_on,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=person,
        changes=diff({}, model_to_dict(person, fields=PERSON_FIELDS)),
        summary=f"Added {person} to {organisation}",
    )
    return person


@transaction.atomic
def person_change(*, person: Person, actor: Actor, **fields) -> Person:
    """Change a person's details (the fields in PERSON_FIELDS). Their account, if they have
    one, follows: its name, job title, organisation and sign-in address are theirs."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_change cannot change {sorted(unknown)}")
    before = model_to_dict(person, fields=PERSON_FIELDS)
    for name, value in fields.items():
        if name in {"full_name", "job_title"}:
            value = _tidy(value)
        elif name == "email":
            value = (value or "").strip().lower()
        elif name == "phone":
            value = (value or "").strip()
        setattr(person, name, value)
    _check_person(full_name=person.full_name, organisation=person.organisation)
    user = person.user
    if user is not None:
        if not person.email:
            raise ValidationError(
                {
                    "email": "A person with an account needs an email address: it is how they sign in"
                },
                code="no_email",
            )
        if User.objects.exclude(pk=user.pk).filter(email__iexact=person.email).exists():
            raise ValidationError(
                {"email": "Another account uses this email address"}, code="email_taken"
            )
        user.full_name, user.job_title = person.full_name, person.job_title
        user.organisation, user.email = person.organisation, person.email
        user.save(update_fields=["full_name", "job_title", "organisation", "email"])
    person.save()
    changes = diff(before, model_to_dict(person, fields=PERSON_FIELDS))
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=person, changes=changes)
    return person


@transaction.atomic
def person_end(*, person: Person, ended_on: datetime.date, reason: str, actor: Actor) -> Person:
    """Record that a person has left: they stay in the directory, shown as ended, and drop
    out of pickers. An account they have is deactivated with them."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    reason = reason.strip()
    if person.ended_on is not None:
        raise ValidationError(
            f"{person} ended on {_long_date(person.ended_on)} already", code="ended"
        )
    if not reason:
        raise ValidationError({"reason": "Enter why they are leaving"}, code="no_reason")
    if ended_on > timezone.localdate():
        raise ValidationError(
            {"ended_on": "The date they left must be today or in the past"}, code="future"
        )
    if person.started_on and ended_on < person.started_on:
        raise ValidationError(
            {"ended_on": f"The date they left must be on or after {_long_date(person.started_on)}"},
            code="before_start",
        )
    if person.user is not None and person.user.is_active:
        account_deactivate(user=person.user, reason=reason, actor=actor)
    person.ended_on = ended_on
    person.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        changes={"ended_on": [None, ended_on]},
        summary=f"Ended on {_long_date(ended_on)}: {reason}",
    )
    return person


@transaction.atomic
def person_invite(
    *,
    person: Person | None = None,
    organisation: Organisation | None = None,
    full_name: str = "",
    email: str = "",
    job_title: str = "",
    phone: str = "",
    roles: list[tuple[str, Organisation | None]] | tuple = (),
    actor: Actor,
) -> Person:
    """Invite a person to an account: add them to the directory if `person` is not given,
    make their account (no usable password), grant `roles` (pairs of role and organisation
    scope), and email the link to set a password. All or nothing.

    Other modules call this where a form offers "someone not listed: invite them" (an
    action's owner), inside their own transaction.
    """
    if person is None:
        person = person_add(
            organisation=organisation,
            full_name=full_name,
            job_title=job_title,
            email=email,
            phone=phone,
            actor=actor,
        )
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    if person.ended_on is not None:
        raise ValidationError(f"{person} has left: they cannot be invited", code="ended")
    if person.user_id is not None:
        raise ValidationError(f"{person} has an account already", code="has_account")
    if not person.email:
        raise ValidationError({"email": "Enter an email address to invite them"}, code="no_email")
    user = account_create(
        email=person.email,
        full_name=person.full_name,
        job_title=person.job_title,
        organisation=person.organisation,
        actor=actor,
    )
    person.user = user
    person.save(update_fields=["user"])
    for role, scope in roles:
        role_grant(user=user, role=role, organisation=scope, actor=actor)
    invitation_send(user=user, actor=actor)
    return person


@transaction.atomic
def account_deactivate(*, user: User, reason: str = "", actor: Actor) -> User:
    """Deactivate an account when someone leaves, and revoke the API tokens they issued:
    an agency's systems stop using a leaver's token at once. Their records all stay."""
    user_deactivate(user=user, reason=reason, actor=actor)
    for token in AgencyToken.objects.usable().filter(created_by=user).select_for_update():
        token_revoke(token=token, actor=actor, why=f"issued by {user}, who has left")
    return user


@transaction.atomic
def account_reactivate(*, user: User, actor: Actor) -> User:
    """Open a deactivated account again (revoked tokens stay revoked: issue new ones)."""
    return user_reactivate(user=user, actor=actor)


# Bulk onboarding -----------------------------------------------------------------------


@transaction.atomic
def people_import_start(*, file_name: str, content: bytes, actor: Actor) -> PeopleImport:
    """Keep an uploaded spreadsheet of people for the background job to check and add."""
    if len(content) > onboarding.MAX_BYTES:
        raise ValidationError(
            f"The file must be smaller than {onboarding.MAX_BYTES // (1024 * 1024)}MB",
            code="too_big",
        )
    people_import = PeopleImport.objects.create(
        file_name=file_name[:200], content=content, created_by=actor.user
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=people_import,
        summary=f"Uploaded {people_import.file_name} to add people",
    )
    return people_import


class _RowRefused(Exception):
    def __init__(self, row: int, error: ValidationError):
        self.row, self.error = row, error


def _finish(people_import: PeopleImport, status: str, problems: list[dict], total: int) -> None:
    people_import.status = status
    people_import.errors = problems[: onboarding.ERRORS_SHOWN]
    people_import.error_count = total
    people_import.finished_at = timezone.now()
    people_import.content = b""
    people_import.save()


def people_import_run(*, people_import: PeopleImport, actor: Actor) -> PeopleImport:
    """Check every row of the spreadsheet; if all pass, add and invite every person in one
    transaction, else add nobody and keep the errors (row, column, message) to show."""
    people_import = PeopleImport.objects.get(pk=people_import.pk)
    if people_import.is_finished:
        return people_import
    PeopleImport.objects.filter(pk=people_import.pk).update(status=ImportStatus.CHECKING)
    try:
        rows = onboarding.read(people_import.file_name, bytes(people_import.content))
    except onboarding.UnreadableFile as error:
        problem = {"row": None, "column": "", "message": str(error)}
        with transaction.atomic():
            _finish(people_import, ImportStatus.REFUSED, [problem], 1)
            audit_record(
                actor=actor, action=Action.UPDATE, obj=people_import, summary=f"Refused: {error}"
            )
        return people_import
    people_import.row_count = len(rows)
    checked = onboarding.check(rows)
    if checked.problems:
        with transaction.atomic():
            _finish(
                people_import,
                ImportStatus.REFUSED,
                [problem.as_dict() for problem in checked.problems],
                len(checked.problems),
            )
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=people_import,
                summary=f"Refused: {len(checked.problems)} errors in {len(rows)} rows; "
                "nobody added",
            )
        return people_import
    PeopleImport.objects.filter(pk=people_import.pk).update(
        status=ImportStatus.ADDING, row_count=len(rows)
    )
    try:
        with transaction.atomic():
            for row in checked.rows:
                try:
                    with transaction.atomic():
                        person_invite(
                            organisation=row["organisation"],
                            full_name=row["full_name"],
                            email=row["email"],
                            job_title=row["job_title"],
                            phone=row["phone"],
                            roles=row["roles"],
                            actor=actor,
                        )
                except ValidationError as error:
                    raise _RowRefused(row["row"], error) from error
            people_import.added_count = len(checked.rows)
            _finish(people_import, ImportStatus.DONE, [], 0)
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=people_import,
                summary=f"Added and invited {len(checked.rows)} people from "
                f"{people_import.file_name}",
            )
    except _RowRefused as refused:
        # Something changed since the check (an address taken meanwhile): nobody is added.
        problems = [
            {"row": refused.row, "column": "", "message": m} for m in refused.error.messages
        ]
        with transaction.atomic():
            people_import.added_count = 0
            _finish(people_import, ImportStatus.REFUSED, problems, len(problems))
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=people_import,
                summary="Refused; nobody added",
            )
    return people_import
