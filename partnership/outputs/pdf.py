"""PDFs drawn from HTML by WeasyPrint: agenda packs, letters, certificates and reports."""

from django.conf import settings


def html_to_pdf(html: str, **options) -> bytes:
    """The PDF of a print template's HTML; static files resolve from the project's folder.

    `options` go to WeasyPrint's `write_pdf` (e.g. `pdf_variant="pdf/ua-1"`).
    """
    # Imported here: WeasyPrint loads Pango, which only the pages that print need.
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)
