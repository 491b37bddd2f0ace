"""Documents made from a review's record: the rapid review report (PDF and Word, from its
edited draft) and the letter asking an agency for its summary (PDF). Through
`partnership.outputs` (WeasyPrint), as the agenda pack is."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.shared import Pt

from partnership.outputs.pdf import html_to_pdf

from .mail import letter_text
from .models import AgencySummary, RapidReviewReport


def report_pdf(report: RapidReviewReport) -> bytes:
    html = render_to_string(
        "reviews/print/rapid_review_report.html",
        {
            "report": report,
            "review": report.rapid_review.review,
            "rapid": report.rapid_review,
            "partnership": settings.PARTNERSHIP_NAME,
            "generated_at": timezone.now(),
        },
    )
    return html_to_pdf(html)


def report_docx(report: RapidReviewReport) -> bytes:
    review = report.rapid_review.review
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.add_heading(f"Rapid review report: {review.title}", level=0)
    document.add_paragraph(f"{settings.PARTNERSHIP_NAME}. Review {review.reference}.")
    for _, heading, text in report.sections:
        document.add_heading(heading, level=1)
        for paragraph in (text or "Not recorded.").split("\n"):
            if paragraph.strip():
                document.add_paragraph(paragraph)
    document.core_properties.title = f"Rapid review report: {review.title}"
    document.core_properties.author = settings.PARTNERSHIP_NAME
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def agency_letter_pdf(summary: AgencySummary) -> bytes:
    html = render_to_string(
        "reviews/print/agency_letter.html",
        {"text": letter_text(summary), "partnership": settings.PARTNERSHIP_NAME},
    )
    return html_to_pdf(html)
