"""OpenDocument text (.odt, ODF 1.2, the format the French interoperability framework
recommends) from a plain outline: headings, paragraphs, label/value lists and tables.
odfpy writes the file; nothing here knows of young people or CEPs.

Text goes in as text (odfpy escapes it for XML): control characters, which XML 1.0 cannot
hold, are dropped; line breaks and runs of spaces are kept (odf.teletype)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from cep_tui.text import strip_controls


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Fields:
    """ "Label : value" lines, as a two-column table without borders."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "Aucun."  # said instead of an empty table


Block = Heading | Paragraph | Fields | Table


def render(title: str, blocks: Sequence[Block]) -> bytes:
    """The .odt file's bytes: `title` as the document's title (metadata and first line),
    then the blocks in order."""
    from odf import dc, teletype
    from odf import table as odf_table
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    styles = _Styles(doc)
    doc.meta.addElement(dc.Title(text=_clean(title)))

    def paragraph(content: str, style) -> odf_text.P:
        element = odf_text.P(stylename=style)
        teletype.addTextToElement(element, _clean(content))
        return element

    def cell(content: str, style) -> odf_table.TableCell:
        element = odf_table.TableCell(valuetype="string", stylename=styles.cell)
        element.addElement(paragraph(content, style))
        return element

    doc.text.addElement(paragraph(title, styles.title))
    for number, block in enumerate(blocks, start=1):
        if isinstance(block, Heading):
            heading = odf_text.H(outlinelevel=block.level, stylename=styles.heading(block.level))
            teletype.addTextToElement(heading, _clean(block.text))
            doc.text.addElement(heading)
        elif isinstance(block, Paragraph):
            style = styles.emphasis if block.emphasis else styles.body
            doc.text.addElement(paragraph(block.text, style))
        elif isinstance(block, Fields | Table):
            rows = (
                [(label, value) for label, value in block.rows]
                if isinstance(block, Fields)
                else list(block.rows)
            )
            if isinstance(block, Table) and not rows:
                doc.text.addElement(paragraph(block.empty, styles.emphasis))
                continue
            width = 2 if isinstance(block, Fields) else len(block.headers)
            grid = odf_table.Table(name=f"Tableau{number}")
            grid.addElement(odf_table.TableColumn(numbercolumnsrepeated=width))
            if isinstance(block, Table):
                header = odf_table.TableHeaderRows()
                row = odf_table.TableRow()
                for title_cell in block.headers:
                    row.addElement(cell(title_cell, styles.strong))
                header.addElement(row)
                grid.addElement(header)
            for values in rows:
                row = odf_table.TableRow()
                for index, value in enumerate(values):
                    label_column = isinstance(block, Fields) and index == 0
                    row.addElement(cell(value, styles.label if label_column else styles.body))
                grid.addElement(row)
            doc.text.addElement(grid)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _clean(text: str) -> str:
    return strip_controls(text or "")


class _Styles:
    """The few paragraph styles the documents use, declared once in the document."""

    def __init__(self, doc) -> None:
        from odf.style import ParagraphProperties, Style, TableCellProperties, TextProperties

        def paragraph_style(name: str, **text) -> Style:
            style = Style(name=name, family="paragraph")
            style.addElement(TextProperties(**text))
            style.addElement(ParagraphProperties(marginbottom="0.1cm"))
            doc.styles.addElement(style)
            return style

        self.title = paragraph_style("Titre CEP", fontsize="18pt", fontweight="bold")
        self._headings = {
            1: paragraph_style("Titre 1 CEP", fontsize="14pt", fontweight="bold"),
            2: paragraph_style("Titre 2 CEP", fontsize="12pt", fontweight="bold"),
        }
        self.body = paragraph_style("Texte CEP", fontsize="10pt")
        self.strong = paragraph_style("Texte gras CEP", fontsize="10pt", fontweight="bold")
        self.label = paragraph_style("Libellé CEP", fontsize="10pt", color="#555555")
        self.emphasis = paragraph_style("Note CEP", fontsize="10pt", fontstyle="italic")
        self.cell = Style(name="Cellule CEP", family="table-cell")
        self.cell.addElement(TableCellProperties(padding="0.05cm"))
        doc.automaticstyles.addElement(self.cell)

    def heading(self, level: int):
        return self._headings.get(level, self._headings[2])
