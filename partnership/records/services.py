"""Records management: the retention schedule, legal holds, the monthly disposal run, subject
access exports and erasure. Every change is written to the audit trail in its transaction.

What is destroyed or erased is named on the trail and in the run by kind, id and dates only
(`RecordKind.describe`), never by its content.
"""

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.lib.retention import (
    ANONYMISE,
    RecordKind,
    add_months,
    period_text,
    retention_cutoff,
)
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from .models import (
    OPEN_RUN_STATUSES,
    DisposalItem,
    DisposalRun,
    Erasure,
    ItemStatus,
    LegalHold,
    RetentionSetting,
    RunStatus,
    SubjectAccessRequest,
)
from .registry import (
    hold_on,
    kind_for,
    model_of,
    periods,
    position_of,
    record_kinds,
    subject_access_hooks,
    trigger_date,
    without_held,
)
from .subjects import Subject, subject_find

# The schedule ------------------------------------------------------------------------------


@transaction.atomic
def retention_set(
    *, kind: RecordKind, months: int | None, note: str, actor: Actor
) -> RetentionSetting:
    """Set the retention period of one kind of record (None: kept permanently)."""
    before = periods()[kind.key]
    setting, _ = RetentionSetting.objects.update_or_create(
        kind=kind.key,
        defaults={
            "months": months,
            "note": note,
            "updated_at": timezone.now(),
            "updated_by": actor.user,
        },
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=setting,
        object_label=f"Retention period of {kind.label}",
        changes={"period": [before.period, period_text(months)]},
    )
    return setting


# Legal holds -------------------------------------------------------------------------------


@transaction.atomic
def hold_place(*, kind: RecordKind, object_id: int, reason: str, actor: Actor) -> LegalHold:
    """Hold one record: no disposal run proposes or destroys it, and no erasure touches it,
    until the hold is released."""
    obj = model_of(kind)._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise ValidationError(
            {"object_id": f"There is no {kind.label.lower()} with id {object_id}"}
        )
    if LegalHold.objects.active().filter(kind=kind.key, object_id=object_id).exists():
        raise ValidationError({"object_id": "This record is already under a legal hold"})
    hold = LegalHold.objects.create(
        kind=kind.key,
        object_id=object_id,
        description=kind.describe(obj)[:300],
        reason=reason,
        placed_by=actor.user,
        placed_by_label=actor.label[:300],
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=hold,
        summary=f"Legal hold placed on {hold.description}",
    )
    return hold


@transaction.atomic
def hold_release(*, hold: LegalHold, reason: str, actor: Actor) -> LegalHold:
    if not hold.is_active:
        raise ValidationError("This hold has already been released")
    hold.released_at = timezone.now()
    hold.released_by = actor.user
    hold.released_by_label = actor.label[:300]
    hold.release_reason = reason
    hold.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=hold,
        summary=f"Legal hold released on {hold.description}",
    )
    return hold


# The disposal run --------------------------------------------------------------------------


def due_records(kind: RecordKind, months: int, today: dt.date):
    """The records of `kind` whose retention period of `months` has ended by `today` and that
    no hold keeps, each annotated with `retention_trigger` (the day its clock started)."""
    model = model_of(kind)
    queryset = model._default_manager.all()
    if kind.scope is not None:
        queryset = queryset.filter(kind.scope())
    queryset = queryset.annotate(retention_trigger=trigger_date(kind, model)).filter(
        retention_trigger__isnull=False,
        retention_trigger__lte=retention_cutoff(today, months),
    )
    return without_held(queryset, kind)


def disposable_kinds():
    return [kind for kind in record_kinds() if kind.disposable and not kind.part_of]


@transaction.atomic
def disposal_run_propose(*, actor: Actor, today: dt.date | None = None) -> DisposalRun:
    """List every record past its retention period and not held, for the business unit to
    review. Refused while another run is open. A month with nothing due is recorded as a run
    that found nothing."""
    today = today or timezone.localdate()
    open_run = DisposalRun.objects.select_for_update().filter(status__in=OPEN_RUN_STATUSES).first()
    if open_run is not None:
        raise ValidationError(
            f"Disposal run {open_run.pk} is still open: approve and destroy it, or cancel it, "
            "before drawing up another."
        )
    run = DisposalRun.objects.create(as_of=today, proposed_by_label=actor.label[:300])
    lines = periods()
    items = []
    for kind in disposable_kinds():
        months = lines[kind.key].months
        if months is None:
            continue
        due = due_records(kind, months, today).order_by("retention_trigger", "pk")
        for obj in due.iterator(chunk_size=500):
            items.append(
                DisposalItem(
                    run=run,
                    kind=kind.key,
                    object_id=obj.pk,
                    description=kind.describe(obj)[:300],
                    trigger_on=obj.retention_trigger,
                    due_on=add_months(obj.retention_trigger, months),
                    position=position_of(kind),
                )
            )
    DisposalItem.objects.bulk_create(items, batch_size=500)
    if not items:
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.finished_by_label = actor.label[:300]
        run.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=run,
        summary=f"Disposal run drawn up for {today:%d %B %Y}: {len(items)} records due",
        changes={"due": dict(Counter(item.kind for item in items))},
    )
    return run


@transaction.atomic
def disposal_item_remove(*, item: DisposalItem, reason: str, actor: Actor) -> DisposalItem:
    """Take one record out of a run waiting for approval: it is kept, and proposed again next
    month unless its period changes or it is held."""
    if item.run.status != RunStatus.PROPOSED or item.status != ItemStatus.PROPOSED:
        raise ValidationError("Only a record in a run waiting for approval can be removed")
    item.status = ItemStatus.REMOVED
    item.outcome = reason
    item.decided_at = timezone.now()
    item.decided_by_label = actor.label[:300]
    item.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=item.run,
        summary=f"Removed from the run: {item.description}",
        changes={"removed": {"kind": item.kind, "id": item.object_id}},
    )
    return item


@transaction.atomic
def disposal_run_approve(*, run: DisposalRun, actor: Actor) -> DisposalRun:
    """A person in the business unit approves the records left in the run for destruction."""
    if actor.user is None:
        raise ValidationError("A disposal run is approved by a person, not a job")
    if run.status != RunStatus.PROPOSED:
        raise ValidationError("Only a run waiting for approval can be approved")
    run.status = RunStatus.APPROVED
    run.approved_at = timezone.now()
    run.approved_by = actor.user
    run.approved_by_label = actor.label[:300]
    run.save()
    count = run.items.filter(status=ItemStatus.PROPOSED).count()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=run,
        summary=f"Approved for destruction: {count} records",
    )
    return run


@transaction.atomic
def disposal_run_cancel(*, run: DisposalRun, actor: Actor) -> DisposalRun:
    """Drop a run before anything is destroyed: every record in it is kept."""
    if not run.is_open:
        raise ValidationError("Only an open run can be cancelled")
    run.status = RunStatus.CANCELLED
    run.finished_at = timezone.now()
    run.finished_by_label = actor.label[:300]
    run.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=run, summary="Disposal run cancelled")
    return run


def _label_counts(objects) -> str:
    counts = Counter(type(obj) for obj in objects)
    return ", ".join(
        _count_text(model, count)
        for model, count in sorted(counts.items(), key=lambda pair: pair[0]._meta.label)
    )


def _count_text(model: type[models.Model], count: int) -> str:
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return f"{count} {name}"


class Blocked(Exception):
    """A record that cannot be destroyed yet, and why."""


def _kinds_by_model() -> dict[str, RecordKind]:
    return {kind.model.lower(): kind for kind in record_kinds()}


def _destroy(obj: models.Model, kind: RecordKind) -> tuple[list, Counter]:
    """Delete `obj` with what cascades from it, after its `delete_first` rows. Returns the
    files to remove from storage (once the transaction commits) and the rows deleted by model.

    Refused (Blocked) where another record still protects it, or where the cascade would take
    with it records that have a retention period of their own (a directory entry would take
    the register of interests): those must reach their own end first."""
    files: list = []
    deleted: Counter = Counter()
    by_model = _kinds_by_model()
    parts = {kind.key} | {other.key for other in record_kinds() if other.part_of == kind.key}
    targets = [*(kind.delete_first(obj) if kind.delete_first else []), [obj]]
    using = router.db_for_write(type(obj))
    for target in targets:
        collector = Collector(using=using, origin=obj)
        try:
            collector.collect(target)
        except ProtectedError as error:
            raise Blocked(f"Still needed by {_label_counts(error.protected_objects)}.") from error
        except RestrictedError as error:
            raise Blocked(f"Still needed by {_label_counts(error.restricted_objects)}.") from error
        cascaded = [(model, list(instances)) for model, instances in collector.data.items()]
        # Rows deleted in bulk are read only where they matter: a kind of record of its own,
        # or a file to remove.
        cascaded += [
            (queryset.model, list(queryset))
            for queryset in collector.fast_deletes
            if queryset.model._meta.label_lower in by_model or _has_files(queryset.model)
        ]
        for model, instances in cascaded:
            other = by_model.get(model._meta.label_lower)
            if other is not None and other.key not in parts and instances:
                raise Blocked(
                    f"It would take with it {_count_text(model, len(instances))}, which "
                    f"{'is' if len(instances) == 1 else 'are'} kept on "
                    "a retention period of its own."
                )
            file_fields = [
                item for item in model._meta.concrete_fields if isinstance(item, models.FileField)
            ]
            for instance in instances:
                for file_field in file_fields:
                    name = getattr(instance, file_field.attname)
                    if name:
                        files.append((file_field.storage, str(name)))
        _total, per_model = collector.delete()
        deleted.update(per_model)
    return files, deleted


def _has_files(model: type[models.Model]) -> bool:
    return any(isinstance(item, models.FileField) for item in model._meta.concrete_fields)


def _with_it(deleted: Counter, kind: RecordKind) -> str:
    parts = []
    for label, count in sorted(deleted.items()):
        model = apps.get_model(label)
        if model._meta.auto_created:
            continue  # many-to-many links
        if model._meta.label == kind.model:
            count -= 1
        if count > 0:
            parts.append(_count_text(model, count))
    return ("With it: " + ", ".join(parts) + ".") if parts else ""


def _remove_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def disposal_run_destroy(
    *, run: DisposalRun, actor: Actor, today: dt.date | None = None
) -> DisposalRun:
    """Destroy the approved records of a run, in order (the most dependent first), with their
    files. Each record is checked again: one held since, or no longer due (its period changed),
    is kept; one that other records still need is reported and kept, to come up again next
    month. What was destroyed is recorded by kind, id and dates, without the content."""
    if run.status != RunStatus.APPROVED:
        raise ValidationError("Only an approved run can be destroyed")
    today = today or timezone.localdate()
    lines = periods()
    outcomes: Counter = Counter()
    for item in run.items.filter(status=ItemStatus.PROPOSED).order_by(*DisposalItem._meta.ordering):
        kind = kind_for(item.kind)
        model = model_of(kind)
        obj = model._default_manager.filter(pk=item.object_id).first()
        months = lines[kind.key].months
        if obj is None:
            item.status, item.outcome = ItemStatus.GONE, "It had already been deleted."
        elif (hold := hold_on(kind, obj)) is not None:
            item.status = ItemStatus.HELD
            item.outcome = (
                f"Under a legal hold placed {timezone.localtime(hold.placed_at):%d %B %Y}."
            )
        elif months is None or add_months(item.trigger_on, months) > today:
            item.status = ItemStatus.NOT_DUE
            item.outcome = f"No longer due: kept {period_text(months)} now."
        elif (
            kind.scope is not None
            and not model._default_manager.filter(kind.scope(), pk=obj.pk).exists()
        ):
            # Its clock has stopped (a closed review reopened, an account opened again).
            item.status = ItemStatus.NOT_DUE
            item.outcome = "No longer due: it is in use again."
        else:
            try:
                with transaction.atomic():
                    if kind.disposal == ANONYMISE:
                        kind.anonymise(obj)
                        item.status, item.outcome = ItemStatus.ANONYMISED, ""
                    else:
                        files, deleted = _destroy(obj, kind)
                        transaction.on_commit(lambda files=files: _remove_files(files))
                        item.status, item.outcome = ItemStatus.DESTROYED, _with_it(deleted, kind)
                    audit_record(
                        actor=actor,
                        action=Action.DELETE if kind.disposal != ANONYMISE else Action.UPDATE,
                        object_type=model._meta.label_lower,
                        object_id=str(item.object_id),
                        object_label=item.description,
                        summary=(
                            f"{'Anonymised' if kind.disposal == ANONYMISE else 'Destroyed'} "
                            f"under the retention schedule (disposal run {run.pk}, approved by "
                            f"{run.approved_by_label})"
                        ),
                    )
            except Blocked as error:
                item.status, item.outcome = ItemStatus.BLOCKED, str(error)
        item.decided_at = timezone.now()
        item.decided_by_label = actor.label[:300]
        item.save()
        outcomes[item.status] += 1
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.finished_by_label = actor.label[:300]
    run.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=run,
        summary="Disposal run carried out: "
        + ", ".join(
            f"{count} {ItemStatus(status).label.lower()}"
            for status, count in sorted(outcomes.items())
        )
        if outcomes
        else "Disposal run carried out: nothing left to destroy",
        changes={"outcomes": dict(outcomes)},
    )
    return run


# Subject access ----------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d %B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d %B %Y}"
    return str(value)


@dataclass
class SubjectAccessFile:
    request: SubjectAccessRequest
    content: bytes

    @property
    def filename(self) -> str:
        return f"subject-access-{self.request.pk}.zip"


def subject_sections(subject: Subject) -> list[dict]:
    """Everything each module holds about the subject, as sections of rows."""
    sections = []
    for module, hook in subject_access_hooks():
        for title, rows in hook(subject):
            sections.append({"module": module, "title": title, "rows": rows})
    return sections


@transaction.atomic
def subject_access_export(*, email: str, reference: str = "", actor: Actor) -> SubjectAccessFile:
    """Everything held about the person with this email address, in one ZIP: the data as JSON
    (for a machine) and a summary page (for the person), made by the business unit and named
    on the trail. The file is not kept; the request is."""
    subject = subject_find(email)
    sections = subject_sections(subject)
    rows = sum(len(section["rows"]) for section in sections)
    if rows == 0:
        raise ValidationError({"email": "Nothing is held about anyone with this email address"})
    made_at = timezone.now()
    request = SubjectAccessRequest.objects.create(
        email=subject.email,
        reference=reference,
        made_at=made_at,
        made_by=actor.user,
        made_by_label=actor.label[:300],
        rows=rows,
    )
    data = {
        "request": request.pk,
        "reference": reference,
        "subject_email": subject.email,
        "made_at": made_at,
        "made_by": actor.label,
        "sections": sections,
    }
    summary = render_to_string(
        "records/subject_access_summary.html",
        {
            "sar": request,
            "subject": subject,
            "made_at": made_at,
            "sections": [
                {
                    "module": section["module"],
                    "title": section["title"],
                    "head": list(section["rows"][0]) if section["rows"] else [],
                    "rows": [[_cell(value) for value in row.values()] for row in section["rows"]],
                }
                for section in sections
            ],
        },
    )
    buffer = io.BytesIO()
    stamp = timezone.localtime(made_at).timetuple()[:6]
    folder = f"subject-access-{request.pk}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)),
            ("summary.html", summary),
        ):
            archive.writestr(zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp), content)
    content = buffer.getvalue()
    request.sha256 = hashlib.sha256(content).hexdigest()
    request.save(update_fields=["sha256"])
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=request,
        summary=f"Subject access export: {rows} records in {len(sections)} sections",
        changes={"subject": subject.reference, "sha256": request.sha256},
    )
    return SubjectAccessFile(request=request, content=content)


# Erasure -----------------------------------------------------------------------------------


@dataclass
class ErasureLine:
    """What erasure would do to one kind of the subject's records."""

    kind: RecordKind
    erase: list[int] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # reason: how many

    @property
    def how(self) -> str:
        return "anonymised" if self.kind.erasure == ANONYMISE else "deleted"

    @property
    def refused_count(self) -> int:
        return sum(self.refused.values())


def erasure_plan(subject: Subject) -> list[ErasureLine]:
    """For each kind of the subject's records: which may be erased, and which may not and why
    (statutory records, records under a legal hold, records still in use)."""
    plan = []
    for kind in record_kinds():
        if kind.subject_rows is None:
            continue
        objects = list(kind.subject_rows(subject).order_by("pk"))
        if not objects:
            continue
        line = ErasureLine(kind=kind)
        refused: Counter = Counter()
        if kind.statutory or not kind.erasure:
            refused[kind.statutory or "Not erased on request: kept for the partnership's work."] = (
                len(objects)
            )
        else:
            for obj in objects:
                hold = hold_on(kind, obj)
                reason = kind.erasure_refusal(obj) if kind.erasure_refusal else ""
                if hold is not None:
                    refused["Under a legal hold: it must be kept until the hold is released."] += 1
                elif reason:
                    refused[reason] += 1
                else:
                    line.erase.append(obj.pk)
        line.refused = dict(refused)
        plan.append(line)
    return plan


@transaction.atomic
def erasure_carry_out(*, email: str, ground: str, notes: str, actor: Actor) -> Erasure:
    """Erase what the law allows of the subject's records: anonymised where other records
    depend on the row (a booking stays as "Erased attendee"), deleted otherwise; refuse the
    rest with the reason. Recorded, and on the trail, by kind and number of rows only."""
    subject = subject_find(email)
    plan = erasure_plan(subject)
    if not plan:
        raise ValidationError({"email": "Nothing is held about anyone with this email address"})
    lines = []
    for line in plan:
        kind = line.kind
        model = model_of(kind)
        erased = []
        refused = Counter(line.refused)
        for obj in model._default_manager.filter(pk__in=line.erase).order_by("pk"):
            try:
                with transaction.atomic():
                    if kind.erasure == ANONYMISE:
                        kind.anonymise(obj)
                    else:
                        files, _deleted = _destroy(obj, kind)
                        transaction.on_commit(lambda files=files: _remove_files(files))
            except Blocked as error:
                refused[f"Other records depend on it. {error}"] += 1
            else:
                erased.append(obj.pk)
        if erased:
            audit_record(
                actor=actor,
                action=Action.UPDATE if kind.erasure == ANONYMISE else Action.DELETE,
                object_type=model._meta.label_lower,
                object_label=f"{len(erased)} × {kind.label}",
                summary=f"Erased on request ({line.how}): {len(erased)} {kind.label.lower()}",
                changes={"ids": erased},
            )
        lines.append(
            {
                "kind": kind.key,
                "label": kind.label,
                "erased": len(erased),
                "how": line.how,
                "refused": sum(refused.values()),
                "reasons": [[reason, count] for reason, count in refused.items()],
            }
        )
    erasure = Erasure.objects.create(
        subject_reference=subject.reference,
        ground=ground,
        notes=notes,
        made_by=actor.user,
        made_by_label=actor.label[:300],
        lines=lines,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=erasure,
        summary=(
            f"Erasure for {subject.reference}: {erasure.erased_count} records erased, "
            f"{erasure.refused_count} refused"
        ),
    )
    return erasure
