"""The agreement's PDF is made by the shared document machinery (collab/documents/pdf.py)."""

from collab.documents.pdf import PdfUnavailable, render_pdf, wants_large_print

__all__ = ["PdfUnavailable", "render_pdf", "wants_large_print"]
