"""Documents made from governance records: the agenda pack (PDF) and attendance letters.

The agenda pack is one PDF: a front section drawn by WeasyPrint (cover, agenda, matters
arising) followed by every PDF paper, appended page for page with pypdf. Word and Excel
papers cannot be merged into a PDF faithfully, so the agenda lists them as sent separately.
"""

import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from partnership.outputs.pdf import html_to_pdf

from .attendance import group_attendance
from .models import (
    AttendanceLetter,
    Decision,
    ItemDeclaration,
    Meeting,
    MinutesStatus,
    Paper,
    PaperType,
)

logger = logging.getLogger(__name__)


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def readable_pdf_pages(file) -> int | None:
    """How many pages a PDF has, or None if pypdf cannot read it (damaged or encrypted)."""
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PdfReadError, ValueError, OSError, KeyError, TypeError):
        return None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


@dataclass
class PackPaper:
    paper: Paper
    pages: int | None = None  # PDF pages appended; None for papers sent separately
    first_page: int | None = None  # 1-based page in the pack

    @property
    def in_pack(self) -> bool:
        return self.pages is not None


@dataclass
class AgendaPack:
    pdf: bytes
    front_pages: int
    papers: list[PackPaper] = field(default_factory=list)

    @property
    def total_pages(self) -> int:
        return self.front_pages + sum(p.pages or 0 for p in self.papers)

    @property
    def separate_papers(self) -> list[Paper]:
        return [p.paper for p in self.papers if not p.in_pack]


@dataclass
class Minutes:
    """A meeting's minutes as a document shows them: attendance, each item's notes,
    declarations and decisions, and the actions raised (shared by the agenda pack of the
    next meeting, the PDF and the Word export)."""

    meeting: Meeting
    items: list
    attendance: list
    actions: list

    @property
    def status_line(self) -> str:
        meeting = self.meeting
        if meeting.minutes_status == MinutesStatus.APPROVED:
            if meeting.minutes_approved_on is None:
                return "Approved as a true record."
            return f"Approved as a true record on {_day(meeting.minutes_approved_on)}."
        return "Draft minutes, for the group's members: not approved yet."


def minutes_of(meeting: Meeting) -> Minutes:
    items = list(
        meeting.items.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("id")),
            Prefetch(
                "declarations",
                queryset=ItemDeclaration.objects.select_related("person").order_by("id"),
            ),
        )
    )
    attendance = list(
        meeting.attendance.select_related("person", "organisation").order_by("person__full_name")
    )
    actions = list(
        meeting.actions.select_related("owner", "owner_organisation", "group").order_by("number")
    )
    return Minutes(meeting, items, attendance, actions)


def minutes_pdf(meeting: Meeting) -> bytes:
    html = render_to_string(
        "governance/print/minutes.html",
        {"minutes": minutes_of(meeting), "today": timezone.localdate()},
    )
    return html_to_pdf(html)


def minutes_docx(meeting: Meeting) -> bytes:
    minutes = minutes_of(meeting)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.add_heading(f"{meeting.group.name}: minutes of the meeting", level=1)
    document.add_paragraph(f"{_day(meeting.local_date)}, {meeting.location}. {minutes.status_line}")
    document.add_heading("Attendance", level=2)
    if minutes.attendance:
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ["Member", "Represents", "Attendance"], strict=True
        ):
            cell.text = text
        for row in minutes.attendance:
            cells = table.add_row().cells
            cells[0].text = row.person.full_name
            cells[1].text = row.organisation.name_on(meeting.starts_at)
            cells[2].text = row.get_status_display() + (
                f": {row.deputy_name}" if row.deputy_name else ""
            )
    else:
        document.add_paragraph("Attendance has not been recorded.")
    for item in minutes.items:
        document.add_heading(f"{item.position}. {item.title}", level=2)
        for declaration in item.declarations.all():
            document.add_paragraph(
                f"Interest declared: {declaration.person.full_name}: {declaration.interest} "
                f"({declaration.get_outcome_display().lower()})."
            )
        for paragraph in [line for line in item.notes.split("\n") if line.strip()]:
            document.add_paragraph(paragraph)
        decisions = list(item.decisions.all())
        if decisions:
            document.add_paragraph().add_run("Decisions").bold = True
            for decision in decisions:
                document.add_paragraph(decision.text, style="List Bullet")
    document.add_heading("Actions from this meeting", level=2)
    if minutes.actions:
        for action in minutes.actions:
            document.add_paragraph(
                f"{action.reference}: {action.description} ({action.owner.full_name}, "
                f"{action.owner_organisation.display_name}; due {_day(action.due_on)})",
                style="List Bullet",
            )
    else:
        document.add_paragraph("No actions were raised.")
    document.core_properties.title = f"Minutes: {meeting.title}"
    document.core_properties.author = settings.PARTNERSHIP_NAME
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def agenda_pack_context(meeting: Meeting, *, include_restricted: bool, papers=()) -> dict:
    """What the pack's front section (cover, agenda, previous minutes, attendance, action log,
    contents) shows, as the pack template reads it."""
    today = timezone.localdate()
    previous = meeting.previous()
    previous_minutes = None
    # Draft minutes are for members only; approved ones for everyone who reads the pack.
    shown = (
        (MinutesStatus.DRAFT, MinutesStatus.APPROVED)
        if include_restricted
        else (MinutesStatus.APPROVED,)
    )
    if previous is not None and previous.minutes_status in shown:
        previous_minutes = minutes_of(previous)
    return {
        "meeting": meeting,
        "items": list(meeting.items.all()),
        "papers": list(papers),
        "matters_arising": list(meeting.matters_arising()),
        "include_restricted": include_restricted,
        "generated_at": timezone.now(),
        "today": today,
        "previous": previous,
        "previous_minutes": previous_minutes,
        "attendance": group_attendance(meeting.group, end=min(today, meeting.local_date)),
    }


def build_agenda_pack(meeting: Meeting, *, include_restricted: bool) -> AgendaPack:
    """The meeting's agenda pack, with restricted papers only if `include_restricted`.

    After the cover and the agenda come the minutes of the previous meeting (draft ones
    only in the members' copy), the group's attendance record, and the action log as the
    web page shows it on the day the pack is made (`Action.status_label`); then the papers,
    among them the thematic lead's report frozen when it was attached."""
    papers = meeting.papers.select_related("item").order_by("item__position", "id")
    if not include_restricted:
        papers = papers.filter(restricted=False)
    pack_papers = []
    contents: dict[int, bytes] = {}
    for paper in papers:
        entry = PackPaper(paper)
        if paper.file_type == PaperType.PDF:
            try:
                with paper.file.open("rb") as handle:
                    data = handle.read()
            except OSError:
                logger.warning("Paper %s is missing from storage", paper.pk)
                data = b""
            entry.pages = readable_pdf_pages(io.BytesIO(data)) if data else None
            if entry.pages:
                contents[paper.pk] = data
            else:
                entry.pages = None
        pack_papers.append(entry)

    context = agenda_pack_context(
        meeting, include_restricted=include_restricted, papers=pack_papers
    )
    # Two passes: the contents give each paper's first page, which depends on how many pages
    # the front section takes. Page numbers do not change its length, so this settles.
    front = b""
    front_pages = 0
    for _ in range(3):
        page = front_pages + 1
        for entry in pack_papers:
            if entry.in_pack:
                entry.first_page = page
                page += entry.pages
        front = html_to_pdf(render_to_string("governance/print/pack.html", context))
        counted = pdf_page_count(front)
        if counted == front_pages:
            break
        front_pages = counted

    writer = PdfWriter()
    writer.append(io.BytesIO(front))
    writer.add_outline_item(title="Agenda", page_number=0)
    for entry in pack_papers:
        if entry.in_pack:
            writer.append(io.BytesIO(contents[entry.paper.pk]))
            writer.add_outline_item(title=entry.paper.title, page_number=entry.first_page - 1)
    writer.add_metadata(
        {"/Title": f"Agenda pack: {meeting.title}", "/Author": settings.PARTNERSHIP_NAME}
    )
    output = io.BytesIO()
    writer.write(output)
    return AgendaPack(output.getvalue(), front_pages, pack_papers)


# Attendance letters -----------------------------------------------------------------------


def letter_text(letter: AttendanceLetter) -> dict:
    """The words of the letter, shared by the PDF and the Word document."""
    group = letter.group
    chief = letter.chief_officer
    when = letter.sent_at or letter.created_at
    return {
        "date": _day(timezone.localtime(when).date()),
        "recipient": [chief.full_name, chief.job_title, letter.organisation.name],
        "salutation": f"Dear {chief.full_name},",
        "subject": f"Attendance at the {group.name}",
        "paragraphs": letter_paragraphs(letter),
        "closing": "Yours sincerely,",
        "signatory": letter.signatory_name,
        "signatory_role": f"Independent Chair, {settings.PARTNERSHIP_NAME}",
    }


def letter_paragraphs(letter: AttendanceLetter) -> list[str]:
    """The chair's words once edited (paragraphs a blank line apart), else the drafted ones."""
    if letter.body.strip():
        return [part.strip() for part in letter.body.split("\n\n") if part.strip()]
    return drafted_paragraphs(letter)


def drafted_paragraphs(letter: AttendanceLetter) -> list[str]:
    """The letter as drafted from the attendance figures, for the chair to edit."""
    group = letter.group
    paragraphs = [
        f"The {settings.PARTNERSHIP_NAME}'s arrangements expect members of the {group.name} "
        f"to attend at least {group.attendance_expected_percent}% of its meetings. An "
        "attendance log is kept, and persistent failure to attend is reported to the "
        "relevant chief officer.",
        f"{letter.person.full_name}, who represents {letter.organisation.name} on the group, "
        f"attended {letter.meetings_attended} of the {letter.meetings_expected} meetings held "
        f"between {_day(letter.window_start)} and {_day(letter.window_end)} "
        f"({letter.rate_percent}%), and missed {letter.longest_absence_run} meetings in a row.",
    ]
    times = f"{letter.deputy_attended} time{'s' if letter.deputy_attended != 1 else ''}"
    if letter.deputy_attended > letter.deputy_limit:
        paragraphs.append(
            f"A deputy attended in their place {times} in that period, more than the "
            f"{letter.deputy_limit} the group allows. Deputies may attend in exceptional "
            "circumstances, but this should not be a regular occurrence."
        )
    elif letter.deputy_attended:
        paragraphs.append(
            f"A deputy attended in their place {times}. Deputies may attend in "
            "exceptional circumstances, but this should not be a regular occurrence."
        )
    paragraphs += [
        f"The {group.name} relies on each agency being represented by someone who can speak "
        f"with authority for it and commit it on policy and practice. I would be grateful if "
        f"you would discuss this with {letter.person.full_name} and let me know, within four "
        f"weeks, how {letter.organisation.name} will be represented at future meetings.",
        "Thank you for your continued support of the partnership.",
    ]
    return paragraphs


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def letter_pdf(letter: AttendanceLetter) -> bytes:
    html = render_to_string(
        "governance/print/letter.html",
        {"letter": letter, "text": letter_text(letter), "partnership": settings.PARTNERSHIP_NAME},
    )
    return html_to_pdf(html)


def letter_docx(letter: AttendanceLetter) -> bytes:
    text = letter_text(letter)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.add_paragraph(settings.PARTNERSHIP_NAME).runs[0].bold = True
    document.add_paragraph(text["date"])
    document.add_paragraph("\n".join(line for line in text["recipient"] if line))
    document.add_paragraph(text["salutation"])
    document.add_paragraph().add_run(text["subject"]).bold = True
    for paragraph in text["paragraphs"]:
        document.add_paragraph(paragraph)
    document.add_paragraph(text["closing"])
    document.add_paragraph(f"{text['signatory']}\n{text['signatory_role']}")
    document.core_properties.title = text["subject"]
    document.core_properties.author = settings.PARTNERSHIP_NAME
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
