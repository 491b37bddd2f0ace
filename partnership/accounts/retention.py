"""Accounts on the retention schedule (see partnership/lib/retention.py and docs/guide/records.md).

An account cannot be deleted while the audit trail names it (the trail keeps its actor), so a
closed account past its retention period, or one erased on request, is anonymised instead:
its name and email go, the row stays for the trail to point at.
"""

from django.db.models import Q
from django.db.models.functions import Coalesce

from partnership.lib.retention import ANONYMISE, RecordKind

from .models import Role, User

ERASED_DOMAIN = "erased.invalid"


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def anonymise_user(user: User) -> None:
    user.full_name = "Erased account"
    user.email = erased_email(user)
    user.job_title = ""
    user.is_active = False
    user.calendar_token = ""
    user.set_unusable_password()
    user.save()
    user.role_grants.all().delete()
    # Two-factor devices hold the account's secret and its name: they go with the account.
    from django_otp import devices_for_user

    for device in devices_for_user(user, confirmed=None):
        device.delete()


def _refusal(user: User) -> str:
    staff_roles = set(user.roles) - {Role.PRACTITIONER}
    if staff_roles:
        names = ", ".join(sorted(Role(role).label for role in staff_roles))
        return (
            f"The account holds a partnership role ({names}): take the roles away first, "
            "so that nobody loses access by surprise."
        )
    return ""


RECORD_KINDS = [
    RecordKind(
        key="accounts.user",
        label="User account",
        model="accounts.User",
        describe=lambda user: f"Account {user.pk}, joined {user.date_joined:%d %B %Y}",
        trigger=lambda: Coalesce("last_login", "date_joined"),
        trigger_label="the last sign-in of a closed account (or the day it was made)",
        default_months=24,
        source=(
            "Judgement: IRMS Local Government Retention Guidelines keep system access records "
            "for the life of the account plus a short period; 2 years after the last sign-in "
            "lets a returning practitioner find their training history."
        ),
        judgement=True,
        scope=lambda: Q(is_active=False) & ~Q(email__endswith=f"@{ERASED_DOMAIN}"),
        disposal=ANONYMISE,
        anonymise=anonymise_user,
        subject_rows=lambda subject: User.objects.filter(
            pk=subject.user.pk if subject.user else None
        ),
        erasure=ANONYMISE,
        erasure_refusal=_refusal,
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    user = subject.user
    if user is None:
        return []
    return [
        (
            "Account",
            [
                {
                    "Name": user.full_name,
                    "Email": user.email,
                    "Job title": user.job_title,
                    "Organisation": str(user.organisation) if user.organisation_id else "",
                    "Roles": ", ".join(user.role_labels),
                    "Active": user.is_active,
                    "Joined": user.date_joined,
                    "Last sign-in": user.last_login,
                }
            ],
        )
    ]
