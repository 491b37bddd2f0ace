"""The thematic lead's report as a PDF, drawn by WeasyPrint from its print template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def thematic_report_pdf(report) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only the pages that print need.
    import weasyprint

    html = render_to_string(
        "plans/print/thematic_report.html", {"report": report, "generated_at": timezone.now()}
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf()
