"""Text from the database, made inert for display (issue 13, point 3).

Data reaches the base by other roads than our forms (SQL, imports, older versions): a
name may hold `ESC[2J`, an OSC title sequence, a right-to-left override or Rich markup.
Every widget that shows such a string passes it through `inert`, which returns a
rich.text.Text (never parsed as markup) whose characters can drive nothing:

- C0 controls and DEL become their visible Unicode pictures (ESC shows as « ␛ »), so
  that a counsellor sees that the stored value holds something odd; newline and tab are
  kept where the widget shows several lines (`multiline=True`), else shown too;
- C1 controls (U+0080–U+009F, which some terminals read as CSI, OSC…) become « � »;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
  removed: they reorder what follows them on the line, card borders included;
- lone surrogates (undecodable bytes) become « � ».
"""

from __future__ import annotations

from rich.text import Text

_REPLACEMENT = "\ufffd"
_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _table(multiline: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"  # ␡
    table.update({code: _REPLACEMENT for code in range(0x80, 0xA0)})
    table.update({code: _REPLACEMENT for code in range(0xD800, 0xE000)})
    table.update(dict.fromkeys(_BIDI))
    if multiline:
        table[ord("\n")] = "\n"
        table[ord("\t")] = "    "
    return table


_ONE_LINE = _table(multiline=False)
_MULTILINE = _table(multiline=True)


def inert_str(value: object, *, multiline: bool = False) -> str:
    """The plain string of `inert`, for the few places that take a str and no markup (an
    Input's value, a notification already sent without markup)."""
    if value is None:
        return ""
    return str(value).translate(_MULTILINE if multiline else _ONE_LINE)


def inert(value: object, style: str = "", *, multiline: bool = False, **text_options) -> Text:
    """`value` (a string from the database, or None) as a Text that shows every character
    it holds and obeys none: no control sequence, no bidi override, no markup."""
    return Text(inert_str(value, multiline=multiline), style=style, **text_options)
