"""Emails the case audits send, queued through the outbox inside the service's transaction:
an agency's audit forms going out, and a chaser for those not yet returned."""

from collections import defaultdict

from partnership.accounts.models import Role, User
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

DISTRIBUTED_KIND = "audits.case_audit.distributed"
CHASER_KIND = "audits.case_audit.chaser"


def _recipients(parts) -> dict[int, list[User]]:
    """Who completes each part: its named auditor, else its agency's leads and members."""
    organisation_ids = {part.organisation_id for part in parts if part.auditor_id is None}
    by_organisation = defaultdict(list)
    for user in User.objects.filter(
        organisation_id__in=organisation_ids,
        is_active=True,
        role_grants__role__in=[Role.PARTNER_LEAD, Role.GROUP_MEMBER],
    ).distinct():
        by_organisation[user.organisation_id].append(user)
    return {
        part.pk: [part.auditor] if part.auditor_id else by_organisation[part.organisation_id]
        for part in parts
    }


def parts_email(*, audit, parts, chaser: bool, actor: Actor) -> int:
    """One email per person, listing the parts of theirs to complete; the number queued."""
    recipients = _recipients(parts)
    per_person: dict[int, tuple[User, list]] = {}
    for part in parts:
        for user in recipients[part.pk]:
            per_person.setdefault(user.pk, (user, []))[1].append(part)
    link = absolute_url(audit.get_absolute_url())
    due = f"{audit.returns_due_on:%-d %B %Y}" if audit.returns_due_on else "as soon as you can"
    for user, theirs in per_person.values():
        cases = "\n".join(
            f"- case {part.case.reference} for {part.organisation}" for part in theirs
        )
        opening = (
            "A reminder: your agency's audit forms below are not yet returned."
            if chaser
            else "Your agency is asked to audit its work on the cases below."
        )
        email_queue(
            to=user.email,
            subject=f"{'Reminder: ' if chaser else ''}Multi-agency case audit: {audit.title}",
            text=f"Dear {user.full_name},\n\n{opening}\n\n{cases}\n\nPlease return them by "
            f"{due}: {link}\n\nThe cases are known by their reference only.\n",
            kind=CHASER_KIND if chaser else DISTRIBUTED_KIND,
            related=audit,
            batch=f"case-audit:{audit.pk}:{'chaser' if chaser else 'distributed'}",
            actor=actor,
        )
    return len(per_person)
