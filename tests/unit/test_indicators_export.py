"""Exports of the CEP indicators (issue 15), from the command line: .ods and .csv read back
to the numbers the service computed (odfpy, Python's csv; LibreOffice too when installed),
private files in the export folder, a table on stdout, French refusals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import stat
import subprocess

import pytest

from cep_tui import indicator_exports as exports
from cep_tui.__main__ import main
from cep_tui.clock import FixedClock
from cep_tui.services import Services
from cep_tui.services.indicators import Scope
from tests.factories import make_dossier, make_enrolment, make_offer

# The command line runs in-process under the test runner's OS account (issue 12).
pytestmark = pytest.mark.usefixtures("trainer")

ARGS = ["indicators", "--from", "01/01/2026", "--to", "31/12/2026"]


@pytest.fixture
def figures(db, structure, counsellor, colleague):
    """A few CEPs of the structure, in every state, and a phase 1 proposal's offer."""
    for referent, entry, end, reason, phase_3 in (
        (counsellor, dt.date(2026, 2, 2), dt.date(2026, 5, 4), "deces", None),
        (counsellor, dt.date(2026, 3, 2), None, None, dt.date(2026, 6, 1)),
        (colleague, dt.date(2025, 11, 3), dt.date(2026, 9, 30), "plan_action_realise",
         dt.date(2026, 1, 5)),
        (colleague, dt.date(2026, 10, 1), None, None, None),
    ):  # fmt: skip
        dossier = make_dossier(structure, referent=referent, sex="F" if end else "M")
        make_enrolment(
            dossier,
            counsellor,
            entry_date=entry,
            phase_3_start=phase_3,
            status="cloture" if end else "en_cours",
            end_date=end,
            exit_reason=reason,
        )
    make_offer(structure, counsellor)
    services = Services(FixedClock(dt.datetime(2026, 11, 29, 10, 0)))
    actor = services.counsellors.sign_in(counsellor.login)
    return services.indicators.compute(actor, "01/01/2026", "31/12/2026", Scope.STRUCTURE)


def expected_tables(indicators) -> list[list[list[str]]]:
    return [
        [list(table.header)] + [[exports.french_number(c) for c in row] for row in table.rows]
        for table in exports.tables(indicators)
    ]


def csv_tables(text: str) -> list[list[list[str]]]:
    """The tables of the CSV: blocks between empty lines, each after its title line."""
    blocks, current = [], []
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not row:
            blocks.append(current)
            current = []
        else:
            current.append(row)
    blocks.append(current)
    return [block[1:] for block in blocks]


def ods_tables(path) -> list[list[list[str]]]:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    def text(cell) -> str:
        if cell.getAttribute("valuetype") == "float":
            return exports.french_number(_number(cell.getAttribute("value")))
        return "".join(str(node) for node in cell.childNodes)

    return [
        [
            [text(c) for c in row.getElementsByType(TableCell)]
            for row in t.getElementsByType(TableRow)
        ]
        for t in load(str(path)).spreadsheet.getElementsByType(Table)
    ]


def _number(value: str):
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def _pad(tables):
    """Rows as a spreadsheet gives them back: trailing empty cells dropped."""
    return [[_trim(row) for row in table] for table in tables]


def _trim(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def test_csv_reads_back_to_the_same_numbers(db_url, figures, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", str(tmp_path / "exports"))

    code = main(["--database", db_url, "--as", "alice", *ARGS, "--scope", "structure",
                 "--output", "x.csv"])  # fmt: skip

    assert code == 0
    path = tmp_path / "exports" / "x.csv"
    assert capsys.readouterr().out == f"Indicateurs enregistrés dans {path}\n"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _pad(csv_tables(raw.decode("utf-8-sig"))) == _pad(expected_tables(figures))
    synthesis = dict(row[:2] for row in csv_tables(raw.decode("utf-8-sig"))[0][1:])
    assert synthesis["Entrées"] == str(figures.total.entries) == "3"
    assert synthesis["Durée moyenne (jours)"] == "212,0"  # (92 + 332) / 2, decimal comma


def test_ods_reads_back_to_the_same_numbers(db_url, figures, tmp_path, monkeypatch):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", str(tmp_path / "exports"))

    assert main(["--database", db_url, "--as", "alice", *ARGS, "--scope", "structure",
                 "--output", "x.ods"]) == 0  # fmt: skip

    path = tmp_path / "exports" / "x.ods"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _pad(ods_tables(path)) == _pad(expected_tables(figures))


# -- LibreOffice -------------------------------------------------------------------------------
# Its CSV filter's options: fields by commas (44), text in double quotes (34), UTF-8 (76),
# from line 1, standard cells, the language (1036: French, decimal comma), then, on export,
# the values rather than their display (with a decimal point), and every sheet (-1, one file
# each, `NAME-SHEET.csv`).
LO_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
LO_FRENCH_CSV = "CSV:59,34,76,1,,1036"  # how a French LibreOffice opens our CSV: `;`, UTF-8


def libreoffice(path, out, *options: str) -> None:
    """Convert with a LibreOffice profile of this call's own: two soffice at once on one
    profile (two test workers, two suites) hand their work to each other, or fail."""
    profile = (out.parent / f"lo-profile-{out.name}").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", *options,
         "--convert-to", LO_EXPORT, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


def assert_same_cells(got: list[list[str]], table) -> None:
    """LibreOffice's rows (header first) hold the table's values: the numbers as numbers,
    nothing for "sans objet", the texts as they are."""
    got = [_trim(row) for row in got if _trim(row)]
    assert got[0] == list(table.header)
    assert len(got) == len(table.rows) + 1
    for line, row in zip(got[1:], table.rows, strict=True):
        cells = line + [""] * (len(row) - len(line))
        for found, value in zip(cells, row, strict=True):
            if value is None:
                assert found == "", (row[0], found)
            elif isinstance(value, str):
                assert found == value
            else:
                assert float(found) == pytest.approx(value), (row[0], found, value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_reads_both_files_to_the_same_numbers(db_url, figures, tmp_path):
    """The .ods, every sheet, and the .csv opened as a French LibreOffice opens it (`;`,
    UTF-8, decimal comma), read back by LibreOffice to the service's values."""
    for name in ("x.ods", "x.csv"):
        assert main(["--database", db_url, "--as", "alice", *ARGS, "--scope", "structure",
                     "--output", str(tmp_path / name)]) == 0  # fmt: skip
    libreoffice(tmp_path / "x.ods", tmp_path / "ods")
    libreoffice(tmp_path / "x.csv", tmp_path / "csv", f"--infilter={LO_FRENCH_CSV}")

    expected = exports.tables(figures)
    for table in expected:
        sheet = (tmp_path / "ods" / f"x-{table.title}.csv").read_text(encoding="utf-8")
        assert_same_cells(list(csv.reader(io.StringIO(sheet))), table)
    # The CSV is one sheet: the tables one after the other, each under its title.
    (sheet,) = (tmp_path / "csv").glob("*.csv")
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))):
        if _trim(row):
            blocks[-1].append(row)
        else:
            blocks.append([])
    assert [block[0][0] for block in blocks] == [table.title for table in expected]
    for block, table in zip(blocks, expected, strict=True):
        assert_same_cells(block[1:], table)


def test_without_output_a_table_on_stdout(db_url, figures, capsys):
    assert main(["--database", db_url, "--as", "alice", *ARGS, "--scope", "structure"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Indicateurs CEP du 01/01/2026 au 31/12/2026 — Mission Locale de Test\n")
    assert any(line.split() == ["Entrées", "3"] for line in out.splitlines())
    assert "SEXE" in out and "PAR MOIS" in out
    # Aggregates only: no young person's name.
    assert "Lefèvre" not in out and "Œdipe" not in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--output", "x.xlsx"], exports.UNKNOWN_FORMAT),
        (["--scope", "structure", "--from", "02/01/2026", "--to", "01/01/2026"],
         "Période : la date de fin doit être postérieure ou égale à la date de début."),
    ],
)  # fmt: skip
def test_refusals_in_french(db_url, figures, tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    code = main(["--database", db_url, "--as", "alice", *ARGS, *extra])
    assert code == 2
    assert capsys.readouterr().err == f"cep-tui : {message}\n"
    assert not list(tmp_path.glob("exports/*"))


def test_the_structure_needs_the_right(db_url, figures, reader, capsys):
    assert main(["--database", db_url, "--as", "claire", *ARGS, "--scope", "structure"]) == 2
    assert capsys.readouterr().err == (
        "cep-tui : Action refusée : il vous manque le droit « Consulter les indicateurs de la "
        "structure ».\n"
    )


def test_a_period_without_any_cep_prints_its_zeros(db_url, figures, capsys):
    """No CEP, no proposal in 2010: every breakdown of reference values is empty (it was
    a crash of the table on stdout)."""
    assert main(["--database", db_url, "--as", "alice", "indicators", "--from", "01/01/2010",
                 "--to", "31/12/2010", "--scope", "structure"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split() == ["Entrées", "0"] for line in lines)
    assert "AIGUILLEUR" in lines and lines[-1].split() == ["12/2010", "0", "0"]


def test_names_from_the_database_reach_the_terminal_inert(db_url, figures, colleague, capsys):
    """A counsellor's name holding control sequences (written by SQL) is printed with its
    controls shown, never sent to the terminal."""
    from cep_tui.db.models import Counsellor

    hostile = "Durand\x1b[2J\x1b]0;titre\x07\u202e"
    Counsellor.update(last_name=hostile).where(Counsellor.id == colleague.id).execute()
    assert main(["--database", db_url, "--as", "alice", *ARGS, "--scope", "structure"]) == 0
    out = capsys.readouterr().out
    assert not {"\x1b", "\x07", "\u202e"} & set(out)
    assert "␛[2J" in out
