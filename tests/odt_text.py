"""Read an .odt file back with odfpy (the library that wrote it): its text, line by line."""

from __future__ import annotations

from pathlib import Path


def odt_lines(path: Path) -> list[str]:
    """The headings and paragraphs of the document, in order (table cells included)."""
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    doc = load(str(path))
    return [
        teletype.extractText(element)
        for element in doc.text.getElementsByType(P) + doc.text.getElementsByType(H)
    ]


def odt_text(path: Path) -> str:
    return "\n".join(odt_lines(path))


def odt_title(path: Path) -> str:
    from odf import dc
    from odf.opendocument import load

    doc = load(str(path))
    return str(doc.meta.getElementsByType(dc.Title)[0])
