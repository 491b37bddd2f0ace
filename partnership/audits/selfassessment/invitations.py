"""Section 175: inviting each school's designated safeguarding lead in bulk, from a CSV or
XLSX of settings (setting, phase, lead's name, lead's email). Read within fixed bounds
(`partnership.lib.uploads.table_rows`) and checked whole: every problem is reported by row,
and nothing is saved unless every row passes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from partnership.accounts.models import User
from partnership.lib.uploads import FileRefused, TableLimits, table_rows

from .models import Phase

LIMITS = TableLimits(max_bytes=1024 * 1024, max_rows=1_000, max_columns=10)
COLUMNS = ("setting", "phase", "lead's name", "lead's email")
PHASES = {label.lower(): value for value, label in Phase.choices} | {v: v for v in Phase.values}


@dataclass(frozen=True)
class Lead:
    row: int
    setting: str
    phase: str
    full_name: str
    email: str


def read_leads(upload) -> list[Lead]:
    """The rows of the upload, checked; ValidationError lists every problem by row."""
    try:
        rows = list(table_rows(upload.file, name=upload.name, size=upload.size, limits=LIMITS))
    except FileRefused as refused:
        raise ValidationError({"file": [str(refused)]}) from None
    if not rows:
        raise ValidationError({"file": ["The file is empty"]})
    heading = [str(cell or "").strip().lower() for cell in rows[0][1]]
    if tuple(heading[:4]) != COLUMNS:
        raise ValidationError(
            {
                "file": [
                    "The first row must be the headings: Setting, Phase, Lead's name, Lead's email"
                ]
            }
        )
    problems, leads, emails = [], [], set()
    for number, cells in rows[1:]:
        cells = [str(cell or "").strip() for cell in list(cells) + [""] * 4][:4]
        if not any(cells):
            continue
        setting, phase, full_name, email = cells
        email = email.lower()
        if not setting:
            problems.append(f"Row {number}: enter the setting's name")
        if phase.lower() not in PHASES:
            problems.append(
                f"Row {number}: the phase must be one of "
                + ", ".join(label for _, label in Phase.choices)
            )
        if not full_name:
            problems.append(f"Row {number}: enter the lead's name")
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"Row {number}: enter the lead's email address, like name@school.org")
        if email in emails:
            problems.append(f"Row {number}: {email} is in the file twice")
        emails.add(email)
        leads.append(Lead(number, setting, PHASES.get(phase.lower(), ""), full_name, email))
    taken = dict(User.objects.filter(email__in=emails).values_list("email", "organisation__name"))
    for lead in leads:
        if lead.email in taken and (taken[lead.email] or "").lower() != lead.setting.lower():
            problems.append(
                f"Row {lead.row}: {lead.email} already has an account with another organisation"
            )
    if not leads and not problems:
        problems.append("The file has no settings in it")
    if problems:
        raise ValidationError({"file": problems})
    return leads
