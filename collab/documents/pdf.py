"""HTML to PDF for every document export (WeasyPrint, loaded only when a PDF is asked for).

The agreement (with its signature certificate) and service specifications use it. Their
templates share one print stylesheet, templates/documents/_pdf_style.html, with a large-print
size (``large``) for people who need bigger type.
"""

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


#: Shown (with a 503) when the server cannot make PDF files.
UNAVAILABLE = ("We cannot make PDF files at the moment, because the server is missing a program it needs. "
               "Please tell the person who runs Collab.")


def wants_large_print(size: str | None) -> bool:
    """``?size=large`` asks for the large-print PDF."""
    return size == "large"
