"""A printable specification: a PDF (and one in large print) made by the same machinery as the
agreement's, and a print stylesheet for printing any page from the browser."""

from __future__ import annotations

import re
from pathlib import Path

from collab.documents import pdf
from tests.factories import commissioner_of, login_as, make_alliance
from tests.specs.helpers import make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def test_the_spec_page_offers_a_pdf_and_a_large_print_pdf(client, session):
    spec = make_spec(make_alliance())
    login_as(client, commissioner_of(spec.alliance))
    page = client.get(_base(spec)).get_data(as_text=True)
    assert f'href="{_base(spec)}/versions/1/export.pdf"' in page
    assert f'href="{_base(spec)}/versions/1/export.pdf?size=large"' in page and "PDF in large print" in page


def test_the_pdf_is_a_real_pdf_with_the_whole_text(client, session):
    spec = make_spec(make_alliance())
    login_as(client, commissioner_of(spec.alliance))
    response = client.get(f"{_base(spec)}/versions/1/export.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f'filename="spec-{spec.id}-v1.pdf"' in response.headers["Content-Disposition"]


def test_large_print_uses_bigger_type_and_both_share_the_agreement_pdf_machinery(client, session, monkeypatch):
    spec = make_spec(make_alliance())
    spec.easy_read = "Help when you need it."
    login_as(client, commissioner_of(spec.alliance))
    made: list[str] = []
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: made.append(html) or b"%PDF-1.7 test")
    client.get(f"{_base(spec)}/versions/1/export.pdf")
    large = client.get(f"{_base(spec)}/versions/1/export.pdf?size=large")
    assert 'filename="spec-' in large.headers["Content-Disposition"] and "-large-print.pdf" in large.headers["Content-Disposition"]
    normal_size = re.search(r"body \{[^}]*font-size: ([0-9.]+)pt", made[0]).group(1)
    large_size = re.search(r"body \{[^}]*font-size: ([0-9.]+)pt", made[1]).group(1)
    assert float(normal_size) == 10.5 and float(large_size) >= 16
    for html in made:
        assert "Crisis support" in html and "Who the service is for" in html and "Nothing written yet." in html
    from collab.agreements import pdf as agreement_pdf

    assert agreement_pdf.PdfUnavailable is pdf.PdfUnavailable  # one machinery, not a copy


def test_a_server_without_pango_answers_503_not_500(client, session, monkeypatch):
    spec = make_spec(make_alliance())
    login_as(client, commissioner_of(spec.alliance))

    def broken(html, base_url):
        raise pdf.PdfUnavailable("no pango")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    response = client.get(f"{_base(spec)}/versions/1/export.pdf")
    assert response.status_code == 503 and "PDF export is not available" in response.get_data(as_text=True)


def test_the_print_stylesheet_prints_the_text_without_the_site_around_it():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "collab.css").read_text()
    printing = css[css.index("@media print"):]
    for hidden in (".govuk-header", ".collab-alliance-nav", ".govuk-footer", ".govuk-button", ".collab-thread form"):
        assert hidden in printing.split("display: none")[0]
