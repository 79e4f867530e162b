"""A letter as a PDF (fpdf2): sender, the address block in the window of a C5 envelope, the
date, the subject, the paragraphs and the letter's reference."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from domain.bezorging import Brief

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _latin1(tekst: str) -> str:
    """The PDF core fonts are Latin-1: Dutch fits; anything else becomes '?'."""
    return tekst.encode("latin-1", "replace").decode("latin-1")


def datum_nl(dag: date) -> str:
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def pdf(brief: Brief, dag: date) -> bytes:
    doc = FPDF(format="A4")
    doc.set_title(_latin1(brief.onderwerp))
    doc.set_author("Veilig Thuis")
    doc.add_page()
    doc.set_font("Helvetica", "B", 14)
    doc.cell(0, 8, "Veilig Thuis", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    doc.set_xy(25, 50)
    for regel in brief.aan:
        doc.cell(0, 6, _latin1(regel), new_x="LMARGIN", new_y="NEXT")
        doc.set_x(25)
    doc.set_xy(doc.l_margin, 90)
    doc.cell(0, 6, datum_nl(dag), new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 6, f"Kenmerk: {brief.kenmerk}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("Helvetica", "B", 11)
    doc.multi_cell(0, 6, _latin1(brief.onderwerp), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font("Helvetica", "", 11)
    for alinea in brief.alineas:
        doc.multi_cell(0, 6, _latin1(alinea), new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
    return bytes(doc.output())
