"""The thematic lead's report as a PDF, drawn by WeasyPrint from its print template."""

from django.template.loader import render_to_string
from django.utils import timezone

from partnership.outputs.pdf import html_to_pdf


def thematic_report_pdf(report) -> bytes:
    html = render_to_string(
        "plans/print/thematic_report.html", {"report": report, "generated_at": timezone.now()}
    )
    return html_to_pdf(html)
