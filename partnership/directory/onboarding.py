"""Bulk onboarding from a spreadsheet: the template (XLSX or CSV), reading an upload within
fixed bounds, and checking every row before anything is saved.

Reading is bounded before the content is parsed: the file's size, an XLSX's uncompressed
size (a small zip can hold a huge sheet) and the number of rows are capped, and reading
stops at the first row past the cap. Checking reports every error with its row and column;
`services.people_import_run` saves nothing unless every row passes.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from partnership.accounts.models import ROLES_WITH_ORGANISATION_SCOPE, Role, User
from partnership.lib.uploads import FileRefused, TableLimits, ZipLimits, table_rows

from .models import Organisation

MAX_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 20
ERRORS_SHOWN = 100

COLUMNS = [
    ("full_name", "Full name"),
    ("email", "Email address"),
    ("job_title", "Job title"),
    ("phone", "Phone number"),
    ("organisation", "Organisation"),
    ("roles", "Roles"),
    ("scope", "Data submitter for"),
]
TITLES = dict(COLUMNS)
HEADERS = {title.lower(): name for name, title in COLUMNS} | {name: name for name, _ in COLUMNS}
REQUIRED_COLUMNS = ("full_name", "email", "organisation")
EXAMPLE = [
    "Alex Example",
    "alex.example@school.example.org",
    "Designated Safeguarding Lead",
    "0151 000 0000",
    "St Aidan's Primary School",
    "Practitioner; Group member",
    "",
]


# The shared reader's refusal: its messages say what to do (split the file, save as CSV UTF-8).
UnreadableFile = FileRefused


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# The template ---------------------------------------------------------------------------


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append([title for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(EXAMPLE)
    for index, (_, title) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(18, len(title) + 4)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("How to fill it in")
    for line in HOW_TO:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for _, title in COLUMNS])
    writer.writerow(EXAMPLE)
    return out.getvalue().encode("utf-8-sig")


HOW_TO = [
    "One person a row. Replace the example row. Nobody is added unless every row is right.",
    "Full name, Email address and Organisation are needed; Job title and Phone number may be "
    "left empty.",
    "Organisation: the organisation's name or short name as the directory has it (any case).",
    "Roles: one or more of " + "; ".join(Role.labels) + ", separated by semicolons. Empty: "
    "practitioner.",
    "Data submitter for: for a data submitter, the organisation whose returns they send "
    "(empty: their own).",
    f"At most {MAX_ROWS:,} people in one file, and a file under {MAX_BYTES // (1024 * 1024)}MB.",
    "Each person is emailed an invitation to set a password.",
]


# Reading, within bounds ---------------------------------------------------------------


def limits() -> TableLimits:
    """The caps on a people file, checked by the shared bounded reader before anything large
    is parsed: its size, its rows and columns, and what its workbook unpacks to."""
    return TableLimits(
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        zip=ZipLimits(
            max_members=200,
            max_uncompressed=MAX_UNCOMPRESSED_BYTES,
            max_member=MAX_UNCOMPRESSED_BYTES,
        ),
    )


def read(name: str, content: bytes) -> list[dict]:
    """The rows of an upload ({"row": number, column: text, ...}), refused past the caps."""
    rows = table_rows(io.BytesIO(content), name=name, size=len(content), limits=limits())
    return _rows(rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows(rows) -> list[dict]:
    """People from the (row number, cells) the reader gives, the heading row first."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise UnreadableFile("The file is empty")
    header = [_text(cell).lower() for cell in first[1]]
    positions = {HEADERS[title]: index for index, title in enumerate(header) if title in HEADERS}
    missing = [TITLES[name] for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise UnreadableFile(
            "The first row must be the template's headings; missing: " + ", ".join(missing)
        )
    result = []
    for number, row in rows:
        if not any(_text(cell) for cell in row):
            continue
        item = {"row": number}
        for name, _ in COLUMNS:
            index = positions.get(name)
            item[name] = _text(row[index]) if index is not None and index < len(row) else ""
        result.append(item)
    if not result:
        raise UnreadableFile("The file has no people in it, only the headings")
    return result


# Checking every row ---------------------------------------------------------------------


def _organisations() -> dict[str, list[Organisation]]:
    found: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.active().only("name", "short_name"):
        for key in {organisation.name.lower(), organisation.short_name.lower()} - {""}:
            found.setdefault(key, []).append(organisation)
    return found


ROLE_NAMES = {role.value: role.value for role in Role} | {
    role.label.lower(): role.value for role in Role
}
# People write the short forms too.
ROLE_NAMES |= {"business unit": Role.BUSINESS_UNIT, "submitter": Role.DATA_SUBMITTER}


def check(rows: list[dict]) -> Checked:
    """Check every row (a bounded number of queries, whatever the size of the file)."""
    organisations = _organisations()
    emails = [row["email"].lower() for row in rows if row["email"]]
    taken = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    seen: dict[str, int] = {}
    checked = Checked()

    def problem(row, name, message):
        checked.problems.append(Problem(row["row"], TITLES[name], message))

    def organisation_for(row, name):
        value = row[name]
        matches = organisations.get(value.lower(), [])
        if len(matches) > 1:
            problem(row, name, f"“{value}” is the short name of more than one organisation")
        elif not matches:
            problem(row, name, f"No organisation in the directory is called “{value}”")
        return matches[0] if len(matches) == 1 else None

    for row in rows:
        before = len(checked.problems)
        if not row["full_name"]:
            problem(row, "full_name", "Enter the person's full name")
        elif len(row["full_name"]) > 150:
            problem(row, "full_name", "The full name must be 150 characters or fewer")
        email = row["email"].lower()
        if not email:
            problem(row, "email", "Enter the person's email address")
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem(row, "email", f"“{row['email']}” is not an email address")
            else:
                if email in taken:
                    problem(row, "email", f"{email} already has an account")
                elif email in seen:
                    problem(row, "email", f"{email} is also on row {seen[email]}")
            seen.setdefault(email, row["row"])
        if len(row["job_title"]) > 200:
            problem(row, "job_title", "The job title must be 200 characters or fewer")
        if len(row["phone"]) > 40:
            problem(row, "phone", "The phone number must be 40 characters or fewer")
        organisation = None
        if not row["organisation"]:
            problem(row, "organisation", "Enter the person's organisation")
        else:
            organisation = organisation_for(row, "organisation")
        roles = []
        for name in [part.strip() for part in row["roles"].replace(",", ";").split(";")]:
            if not name:
                continue
            role = ROLE_NAMES.get(name.lower())
            if role is None:
                problem(
                    row, "roles", f"“{name}” is not a role: use one of {', '.join(Role.labels)}"
                )
            elif role not in roles:
                roles.append(role)
        roles = roles or [Role.PRACTITIONER]
        scope = None
        if row["scope"]:
            if not ROLES_WITH_ORGANISATION_SCOPE & set(roles):
                problem(row, "scope", "Only a data submitter sends data for an organisation")
            else:
                scope = organisation_for(row, "scope")
        if len(checked.problems) == before:
            checked.rows.append(
                {
                    "row": row["row"],
                    "full_name": row["full_name"],
                    "email": email,
                    "job_title": row["job_title"],
                    "phone": row["phone"],
                    "organisation": organisation,
                    "roles": [
                        (role, scope if role in ROLES_WITH_ORGANISATION_SCOPE else None)
                        for role in roles
                    ],
                }
            )
    return checked
