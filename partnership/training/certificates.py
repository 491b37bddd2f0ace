"""Certificates of attendance, as PDF (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.outputs.pdf import html_to_pdf

from .models import Booking


def certificate_pdf(booking: Booking) -> bytes:
    session = booking.session
    html = render_to_string(
        "training/certificate.html",
        {
            "booking": booking,
            "session": session,
            "course": session.course,
            "issued_on": timezone.localdate(),
            "reference": f"{settings.PARTNERSHIP_SHORT_NAME}-T{session.pk:05d}-{booking.pk:06d}",
            "hours": round(session.duration.total_seconds() / 3600, 1),
        },
    )
    return html_to_pdf(html, pdf_variant="pdf/ua-1")
