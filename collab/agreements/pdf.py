"""HTML to PDF for agreement exports (WeasyPrint, loaded only when a PDF is asked for)."""

from __future__ import annotations


class PdfUnavailable(Exception):
    """WeasyPrint or the native libraries it needs (Pango, GObject) are missing."""


def render_pdf(html: str, base_url: str) -> bytes:
    """HTML to PDF with WeasyPrint; PdfUnavailable if its native libraries cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    try:
        return HTML(string=html, base_url=base_url).write_pdf()
    except OSError as error:
        raise PdfUnavailable(str(error)) from error
