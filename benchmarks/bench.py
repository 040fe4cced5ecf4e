"""`make bench`: cep-tui at a large Mission Locale's size, measured against the bare framework.

Builds the large demonstration data once (100,000 dossiers, about a million events, 10,000
offers) into a cache file, then prints one table:

- start-up to the first interactive screen, cep-tui against a bare Textual app (Header,
  Input, DataTable, Footer: benchmarks/bare_app.py), each started in a pseudo-terminal,
  in turn, ten times; with CEP_TUI_EXIT_WHEN_READY naming a file, both write there the
  instants (time.monotonic(), one clock for every process) their first screen is ready,
  then quit; and their peak memory (max RSS);
- dossier and offer searches, p50/p95 over 200 realistic prefixes of 1 to 4 letters;
- opening the dossier with the most events (1,500, added to a copy of the data);
- each CEP write, p50/p95, on a copy of the data.

    make bench                                   # SQLite, data cached in benchmarks/.cache
    make bench BENCH_DATABASE=postgresql://…     # an existing database (filled if empty)

Speed is measured here, never asserted by the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import fcntl
import hashlib
import os
import platform
import pty
import random
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR") or HERE / ".cache")
SEED = 2016
LOGIN = "c.dupont"
READY_ENV = "CEP_TUI_EXIT_WHEN_READY"
TERMINAL = (30, 100)  # rows, columns
HEAVY_EVENTS = 1_500

# Targets of issue 5.
START_RATIO = 1.3
MEMORY_RATIO = 1.5
SEARCH_P95_MS = 5.0
OPEN_MS = 50.0
INDICATORS_P95_MS = 300.0  # a year of the whole structure (issue 15)
CASELOAD_P95_MS = 50.0  # « Mes jeunes »
WRITE_P95_MS = 10.0


@dataclass(frozen=True)
class Row:
    measure: str
    result: str
    target: str = ""
    met: bool | None = None

    def cells(self) -> list[str]:
        status = {True: "oui", False: "**NON**", None: ""}[self.met]
        return [self.measure, self.result, self.target, status]


# -- the machine and the data -----------------------------------------------------------
def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    return (
        f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, Textual {metadata.version('textual')}, "
        f"peewee {metadata.version('peewee')}"
    )


def cep_tui(*args: str) -> list[str]:
    return [sys.executable, "-m", "cep_tui", *args]


EMPTY_CHECK = (
    "import sys; from cep_tui import demo; from cep_tui.bootstrap import open_services; "
    "open_services(sys.argv[1], seed_demo=False); print('vide' if demo.is_empty() else 'plein')"
)


def _generator_fingerprint() -> str:
    """Names the cached data after the code that writes it: a change to the generator or
    to its reference lists builds the data anew instead of measuring stale data."""
    digest = hashlib.sha256()
    package = ROOT / "src" / "cep_tui"
    for module in (*sorted((package / "demo").rglob("*.py")), package / "db/reference_seed.py"):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:10]


def _is_empty(url: str) -> bool:
    """Opens (and so migrates) the database at `url` in another process: the start-ups
    are measured from this one, whose memory their max RSS would otherwise inherit, and a
    schema upgrade of the cached data must not land in the first measured start-up."""
    check = subprocess.run(
        [sys.executable, "-c", EMPTY_CHECK, url], capture_output=True, text=True, check=True
    )
    return check.stdout.strip() == "vide"


def dataset(url: str | None) -> str:
    """The URL of the large data: BENCH_DATABASE as given (filled if empty), or the
    cached SQLite file, built on first use."""
    if url:
        if _is_empty(url):
            print(f"Données « large » écrites dans {url.split('@')[-1]}…", file=sys.stderr)
            subprocess.run(cep_tui("--database", url, "demo", "--size", "large"), check=True)
        return url
    path = CACHE_DIR / f"large-{SEED}-{_generator_fingerprint()}.db"
    if path.exists():
        _is_empty(f"sqlite:///{path}")
    else:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for stale in CACHE_DIR.glob(f"large-{SEED}*.db*"):
            stale.unlink()
        partial = path.with_suffix(".partial.db")
        for leftover in CACHE_DIR.glob(partial.name + "*"):
            leftover.unlink()
        print(f"Construction des données « large » dans {path} (une fois)…", file=sys.stderr)
        started = time.monotonic()
        subprocess.run(
            cep_tui("--database", f"sqlite:///{partial}", "demo", "--size", "large"),
            check=True,
        )
        _checkpoint(partial)
        partial.rename(path)
        print(f"Données construites en {time.monotonic() - started:.0f} s.", file=sys.stderr)
    return f"sqlite:///{path}"


def _checkpoint(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


@contextmanager
def writable_copy(url: str) -> Iterator[str]:
    """A copy of the data the writes may change, dropped afterwards."""
    if url.startswith("sqlite"):
        source = Path(url.split("://", 1)[1][1:])
        _checkpoint(source)
        target = CACHE_DIR / "writes.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        try:
            yield f"sqlite:///{target}"
        finally:
            for leftover in CACHE_DIR.glob("writes.db*"):
                leftover.unlink()
        return
    # PostgreSQL: CREATE DATABASE ... TEMPLATE (the role needs CREATEDB, and no one else
    # connected to the source meanwhile).
    from urllib.parse import urlparse, urlunparse

    import psycopg2

    from cep_tui.db.connection import database_proxy

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    copy = f"{name}_bench_writes"
    if database_proxy.obj is not None:  # the searches' connection to the source
        database_proxy.obj.close()
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
            cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        yield urlunparse(parsed._replace(path=f"/{copy}"))
    finally:
        if database_proxy.obj is not None:
            database_proxy.obj.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.close()


def describe(url: str) -> str:
    from cep_tui.bootstrap import open_services
    from cep_tui.db.models import Dossier, Event, Offer

    open_services(url, seed_demo=False)
    counts = [(Dossier, "dossiers"), (Event, "évènements"), (Offer, "offres")]
    return ", ".join(f"{model.select().count():_} {name}" for model, name in counts).replace(
        "_", "\u202f"
    )


# -- start-up and memory ------------------------------------------------------------------
def run_in_terminal(argv: list[str], timeout: float = 60.0) -> tuple[dict[str, float], int]:
    """Run `argv` in a pseudo-terminal until it exits: the seconds from the start to each
    instant the app reports ("interactive", "results") and to its exit ("exit"), and its
    max RSS in KB."""
    master, slave = pty.openpty()
    rows, columns = TERMINAL
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    report = CACHE_DIR / "ready"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    env = {**os.environ, READY_ENV: str(report), "TERM": "xterm-256color"}

    def drain() -> None:  # the app blocks on a full terminal otherwise
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.monotonic()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    instants = {"exit": time.monotonic() - started}
    process.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    reader.join(timeout=1)
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"{' '.join(argv)} : code {process.returncode}, jamais prêt")
    for line in report.read_text(encoding="utf-8").splitlines():
        stage, instant = line.split()
        instants[stage] = float(instant) - started
    return instants, usage.ru_maxrss


def startup_rows(url: str, runs: int) -> list[Row]:
    """cep-tui, the bare app, and the bare app showing 50 rows, started in turn."""
    apps = {
        "cep": cep_tui("--database", url, "--as", LOGIN),
        "bare": [sys.executable, str(HERE / "bare_app.py")],
        "bare50": [sys.executable, str(HERE / "bare_app.py"), "--rows", "50"],
    }
    for argv in apps.values():  # warm-up: the files in the OS cache, compiled bytecode
        run_in_terminal(argv)
    seconds: dict[str, dict[str, list[float]]] = {name: {} for name in apps}
    memory: dict[str, list[int]] = {name: [] for name in apps}
    for i in range(runs):
        names = list(apps)[i % len(apps) :] + list(apps)[: i % len(apps)]
        for name in names:
            instants, rss = run_in_terminal(apps[name])
            for stage, value in instants.items():
                seconds[name].setdefault(stage, []).append(value)
            memory[name].append(rss)

    def ms(name: str, stage: str) -> float:
        return statistics.median(seconds[name][stage]) * 1000

    interactive = ms("cep", "interactive") / ms("bare", "interactive")
    app_mb, bare_mb = max(memory["cep"]) / 1024, max(memory["bare"]) / 1024
    return [
        Row(
            f"Démarrage jusqu'au premier écran interactif (médiane de {runs}, en alternance) : "
            "accueil affiché, saisie possible",
            f"{ms('cep', 'interactive'):.0f} ms contre {ms('bare', 'interactive'):.0f} ms nu "
            f": **{interactive:.2f}×**",
            f"≤ {START_RATIO}×",
            interactive <= START_RATIO,
        ),
        Row(
            "↳ pour information : jusqu'aux premiers résultats affichés (« mes dossiers »)",
            f"{ms('cep', 'results'):.0f} ms ; l'app nue remplie de 50 lignes "
            f"{ms('bare50', 'results'):.0f} ms : "
            f"{ms('cep', 'results') / ms('bare50', 'results'):.2f}×",
        ),
        Row(
            "↳ pour information : jusqu'à la fin du processus (sortie dès les résultats)",
            f"{ms('cep', 'exit'):.0f} ms contre {ms('bare', 'exit'):.0f} ms nu",
        ),
        Row(
            "Mémoire maximale (max RSS) au premier écran",
            f"{app_mb:.0f} Mo contre {bare_mb:.0f} Mo nu : **{app_mb / bare_mb:.2f}×**",
            f"≤ {MEMORY_RATIO}×",
            app_mb / bare_mb <= MEMORY_RATIO,
        ),
    ]


# -- measuring in process -----------------------------------------------------------------
def timed(calls: list[Callable[[], object]]) -> list[float]:
    """Milliseconds of each call, in order."""
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def p50_p95(values: list[float]) -> tuple[float, float]:
    return percentile(values, 0.5), percentile(values, 0.95)


def latency_row(measure: str, values: list[float], limit: float, what: str = "p95") -> Row:
    p50, p95 = p50_p95(values)
    judged = p95 if what == "p95" else p50
    return Row(
        measure,
        f"p50 {p50:.2f} ms · p95 **{p95:.2f} ms** (max {max(values):.1f})",
        f"{what} ≤ {limit:g} ms",
        judged <= limit,
    )


def _prefix(word: str, rng: random.Random) -> str:
    from cep_tui.text import fold

    letters = "".join(ch for ch in word if ch.isalpha()) or word
    typed = letters[: rng.randint(1, 4)]
    return typed if rng.random() < 0.5 else fold(typed)


def _names() -> list[tuple[str, str]]:
    from cep_tui.db.models import Dossier

    return [
        (d.last_name, d.first_name)
        for d in Dossier.select(Dossier.last_name, Dossier.first_name)
        .where(Dossier.structure == 1)
        .order_by(Dossier.id)
    ]


def dossier_queries(rng: random.Random, count: int) -> list[str]:
    """What a counsellor types: the first 1-4 letters of a young person's last name (or,
    one time in four, first name), as written (accents, capitals) or plain."""
    names = _names()
    queries = []
    for _ in range(count):
        last, first = rng.choice(names)
        queries.append(_prefix(first if rng.random() < 0.25 else last, rng))
    return queries


def two_word_queries(rng: random.Random, count: int) -> list[str]:
    """The last name, then the first letters of the first name: "santoni ma"."""
    from cep_tui.text import fold

    names = _names()
    queries = []
    for _ in range(count):
        last, first = rng.choice(names)
        typed = f"{last} {first[: rng.randint(1, 2)]}"
        queries.append(typed if rng.random() < 0.5 else fold(typed))
    return queries


def offer_queries(rng: random.Random, count: int) -> list[str]:
    """The first 1-4 letters of a word of an offer's name, partner or theme."""
    from cep_tui.db.models import Offer

    words = [
        word
        for o in Offer.select(Offer.name, Offer.partner).where(Offer.structure == 1)
        for word in f"{o.name} {o.partner}".split()
        if sum(ch.isalpha() for ch in word) >= 3
    ]
    return [_prefix(rng.choice(words), rng) for _ in range(count)]


def search_rows(url: str, count: int) -> list[Row]:
    from cep_tui.bootstrap import open_services
    from cep_tui.services.views import CatalogueKind

    services = open_services(url, seed_demo=False)
    actor = services.counsellors.sign_in(LOGIN)
    rng = random.Random(SEED)
    dossiers, offers = dossier_queries(rng, count), offer_queries(rng, count)
    two_words = two_word_queries(rng, count)

    def dossier(q):
        return lambda: services.dossiers.search(actor, q, limit=50)

    def offer(q):
        return lambda: services.offers.search_catalogue(actor, q, CatalogueKind.INTERNAL, limit=20)

    timed([dossier(q) for q in dossier_queries(rng, 50)])  # warm-up
    timed([offer(q) for q in offer_queries(rng, 50)])
    return [
        latency_row(
            f"Recherche de dossiers, {count} préfixes de 1 à 4 lettres (page de 50)",
            timed([dossier(q) for q in dossiers]),
            SEARCH_P95_MS,
        ),
        latency_row(
            f"Recherche d'offres (catalogue), {count} préfixes de 1 à 4 lettres (page de 20)",
            timed([offer(q) for q in offers]),
            SEARCH_P95_MS,
        ),
        latency_row(
            f"↳ pour information : dossiers, nom puis début du prénom (« santoni ma »), "
            f"{count} recherches",
            timed([dossier(q) for q in two_words]),
            SEARCH_P95_MS,
        ),
        latency_row(
            f"↳ pour information : écran des offres (page de 50), {count} recherches",
            timed([lambda q=q: services.offers.list(actor, q) for q in offers]),
            SEARCH_P95_MS,
        ),
    ]


# -- opening a dossier --------------------------------------------------------------------
def add_heavy_dossier(events: int) -> int:
    """A young person followed for years: `events` events, each with an action, a
    proposal every tenth; returns the dossier's id."""
    from cep_tui.db.connection import write_transaction
    from cep_tui.db.models import Counsellor, Dossier, Event, EventAction, Offer, Proposal
    from cep_tui.text import indexed_text

    counsellor = Counsellor.get(Counsellor.login == LOGIN)
    template = Dossier.select().where(Dossier.structure == counsellor.structure_id).first()
    offer = Offer.select().where(Offer.structure == counsellor.structure_id).first()
    like = Event.select().where(Event.dossier == template).first()
    now = dt.datetime.now().replace(microsecond=0)
    with write_transaction():
        dossier = Dossier.create(
            structure=counsellor.structure_id,
            number="9999999",
            last_name="Suivi-Longtemps",
            first_name="Ange",
            birth_date=dt.date(2002, 5, 17),
            sex="M",
            status="justifie",
            referent=counsellor,
            search_text=indexed_text("Suivi-Longtemps", "Ange"),
            created_at=now,
            updated_at=now,
        )
        for i in range(events):
            event = Event.create(
                dossier=dossier,
                event_date=dt.date.today() - dt.timedelta(days=events - i),
                primary_context=like.primary_context_id,
                direction=like.direction_id,
                nature=like.nature_id,
                reception_place=like.reception_place_id,
                function=like.function_id,
                intervenant=counsellor,
                comment=f"Entretien {i}",
                in_progress=False,
                closed_at=now,
                created_by=counsellor,
                created_at=now,
            )
            EventAction.create(
                event=event, kind="proposition_offre", description="", at=now, counsellor=counsellor
            )
            if i % 10 == 0:
                Proposal.create(
                    dossier=dossier,
                    offer=offer,
                    event=event,
                    counsellor=counsellor,
                    proposed_on=event.event_date,
                    created_at=now,
                )
    return dossier.id


def open_rows(url: str, repeat: int) -> list[Row]:
    from peewee import fn

    from cep_tui.bootstrap import make_app, open_services
    from cep_tui.db.models import Dossier, Event

    services = open_services(url, seed_demo=False)
    actor = services.counsellors.sign_in(LOGIN)
    add_heavy_dossier(HEAVY_EVENTS)
    dossier_id, events = (
        Event.select(Event.dossier, fn.COUNT(Event.id))
        .group_by(Event.dossier)
        .order_by(fn.COUNT(Event.id).desc())
        .limit(1)
        .scalar(as_tuple=True)
    )

    def shown_first():  # the title, then the SYNTHÈSE section
        services.dossiers.get(actor, dossier_id)
        services.dossiers.synthesis(actor, dossier_id)

    def every_section():
        shown_first()
        services.cep.list(actor, dossier_id)
        services.events.list(actor, dossier_id)
        services.proposals.list_for_dossier(actor, dossier_id)
        services.dossiers.requests(actor, dossier_id)
        services.dossiers.appointments(actor, dossier_id)

    timed([every_section] * 3)
    rows = [
        latency_row(
            f"Ouverture du dossier le plus suivi ({events} évènements) : services du "
            f"premier écran, {repeat} fois",
            timed([shown_first] * repeat),
            OPEN_MS,
        ),
        latency_row(
            "↳ même dossier, et la première page de chaque section",
            timed([every_section] * repeat),
            OPEN_MS,
        ),
    ]
    # The screen itself, from its push to its first section drawn with the data: the
    # target of issue 5, with a young person followed for one event as a yardstick.
    (light,) = (
        Event.select(Event.dossier)
        .join(Dossier)
        .where(Dossier.structure == actor.structure_id)
        .group_by(Event.dossier)
        .having(fn.COUNT(Event.id) == 1)
        .limit(1)
        .tuples()
    )
    app = make_app(url, LOGIN, seed_demo=False, cursor_blink=False)
    (heavy, heavy_cpu), (light_one, light_cpu) = asyncio.run(
        _open_in_pilot(app, [dossier_id, light[0]], repeat)
    )
    rows.append(
        latency_row(
            f"Écran du dossier le plus suivi prêt : de l'empilement à la première section "
            f"dessinée avec ses données (Textual, sans terminal), {repeat} fois",
            heavy,
            OPEN_MS,
        )
    )
    rows.append(
        Row(
            "↳ même écran, dossier d'un seul évènement ; et le temps processeur de ces "
            "ouvertures (sur une machine chargée, le temps réel attend en plus le processeur)",
            "un évènement : p50 {:.0f} ms · p95 {:.0f} ms ; processeur : p50 {:.0f} ms · "
            "p95 {:.0f} ms (le plus suivi), p50 {:.0f} ms · p95 {:.0f} ms (un évènement)".format(
                *p50_p95(light_one), *p50_p95(heavy_cpu), *p50_p95(light_cpu)
            ),
        )
    )
    return rows


async def _open_in_pilot(
    app, dossier_ids: list[int], repeat: int
) -> list[tuple[list[float], list[float]]]:
    """For each dossier in turn, the milliseconds from pushing its screen to the first frame
    drawn with its first section's data: wall clock, and this process's CPU time over the
    same spans (the first two openings, which compile styles, not counted).

    The end is taken inside the frame: a screen publishes `screen_layout_refresh_signal`
    right after each layout refresh it renders, and the first one once the dossier and its
    visible section are loaded is the ready screen. Nothing is polled meanwhile: Pilot's
    pause() (which sleeps until the process looks idle) only lets the previous screen go,
    outside the timed span."""
    from cep_tui.ui.screens.dossier import DossierScreen

    out: list[tuple[list[float], list[float]]] = [([], []) for _ in dossier_ids]
    loop = asyncio.get_running_loop()
    async with app.run_test(size=TERMINAL[::-1]) as pilot:
        await app.workers.wait_for_complete()
        for i in range(repeat + 2):
            for (wall, cpu), dossier_id in zip(out, dossier_ids, strict=True):
                screen = DossierScreen(dossier_id)
                drawn: asyncio.Future[tuple[float, float]] = loop.create_future()

                def ready(_: object, screen=screen, drawn=drawn) -> None:
                    section = screen.built_section(screen.current)
                    if (
                        not drawn.done()
                        and screen.is_current
                        and screen.dossier is not None
                        and section is not None
                        and not section.stale
                    ):
                        drawn.set_result((time.perf_counter(), time.process_time()))

                screen.screen_layout_refresh_signal.subscribe(app, ready, immediate=True)
                started, started_cpu = time.perf_counter(), time.process_time()
                app.push_screen(screen)
                ended, ended_cpu = await asyncio.wait_for(drawn, timeout=60)
                screen.screen_layout_refresh_signal.unsubscribe(app)
                if i >= 2:
                    wall.append((ended - started) * 1000)
                    cpu.append((ended_cpu - started_cpu) * 1000)
                # Untimed: the footer and the rest settle, then the home screen's search
                # (a worker, on its return) ends before the next push.
                await pilot.pause()
                app.pop_screen()
                while app.screen is screen:
                    await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
    return out


# -- writes -------------------------------------------------------------------------------
def write_rows(url: str, count: int) -> list[Row]:
    """Each CEP write on `count` young people of the copy (never timed: choosing them).

    Before each young person's writes, the checkpoint the app runs when the counsellor
    pauses (`checkpoint`, untimed: see CepApp._checkpoint_when_idle), so that SQLite's
    automatic checkpoint lands on a measured write no more often than in the app."""
    from cep_tui.bootstrap import open_services
    from cep_tui.db.connection import checkpoint
    from cep_tui.db.models import Dossier, Enrolment, Event, Offer, ReferenceValue
    from cep_tui.services.cep import CepAddInput, CepModifyInput
    from cep_tui.services.events import EventInput
    from cep_tui.services.proposals import ProposalInput
    from cep_tui.vocabulary import CEP_CODE, ReferenceKind

    services = open_services(url, seed_demo=False)
    actor = services.counsellors.sign_in(LOGIN)
    today = services.clock.today()

    def ref(kind: ReferenceKind, label: str | None = None, code: str | None = None) -> int:
        condition = ReferenceValue.code == code if code else ReferenceValue.label == label
        return ReferenceValue.get((ReferenceValue.kind == kind.value) & condition).id

    busy = Enrolment.select(Enrolment.dossier).where(Enrolment.status == "en_cours")
    open_events = Event.select(Event.dossier).where(Event.in_progress == True)  # noqa: E712
    candidates = [
        d.id
        for d in Dossier.select(Dossier.id)
        .where(
            (Dossier.structure == actor.structure_id)
            & (Dossier.status == "justifie")
            & (Dossier.birth_date <= today.replace(year=today.year - 18))
            & Dossier.id.not_in(busy)
            & Dossier.id.not_in(open_events)
        )
        .order_by(Dossier.id)
        .limit(count * 20)
    ]
    chosen = random.Random(SEED).sample(candidates, 2 * count)
    cep_offer = (
        Offer.select(Offer.id)
        .where(
            (Offer.structure == actor.structure_id)
            & (Offer.national_measure == ref(ReferenceKind.NATIONAL_MEASURE, code=CEP_CODE))
            & ((Offer.end_date.is_null()) | (Offer.end_date >= today))
            & (Offer.start_date <= today)
        )
        .first()
        .id
    )
    event = EventInput(
        event_date=today,
        primary_context_id=ref(ReferenceKind.CONTEXT, code=CEP_CODE),
        direction_id=ref(ReferenceKind.DIRECTION, "Jeune vers Structure"),
        nature_id=ref(ReferenceKind.NATURE, "Entretien individuel"),
        reception_place_id=ref(ReferenceKind.RECEPTION_PLACE, "Siège"),
        function_id=ref(ReferenceKind.FUNCTION, "Conseiller"),
        intervenant_id=actor.id,
    )
    add = CepAddInput(
        referrer_id=ref(ReferenceKind.REFERRER, "Mission Locale"),
        entry_date=today - dt.timedelta(days=30),
        solicitation_reason_id=ref(ReferenceKind.SOLICITATION_REASON, "Reconversion"),
        phase=2,
    )
    modify = CepModifyInput(
        referrer_id=ref(ReferenceKind.REFERRER, "APEC"),
        solicitation_reason_id=ref(ReferenceKind.SOLICITATION_REASON, "Reconversion"),
        prescriber_name="Mme Prescriptrice",
    )
    times: dict[str, list[float]] = {}

    def measure(name: str, call: Callable, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    for dossier_id, other_id in zip(chosen[:count], chosen[count:], strict=True):
        checkpoint()  # the counsellor paused: the app folded the log in (no-op on PostgreSQL)
        opened = measure("Évènement (ouverture)", services.events.open, actor, dossier_id, event)
        measure(
            "Proposition d'une offre CEP",
            services.proposals.propose,
            actor,
            dossier_id,
            cep_offer,
            ProposalInput(proposed_on=today),
        )
        cep = measure("Ajout du CEP", services.cep.add, actor, dossier_id, add)
        cep = measure(
            "Modification du CEP", services.cep.modify, actor, cep.id, modify, cep.version
        )
        cep = measure(
            "Passage en phase 3",
            services.cep.pass_to_phase_3,
            actor,
            cep.id,
            today - dt.timedelta(days=10),
            cep.version,
        )
        measure(
            "Clôture du CEP",
            services.cep.close,
            actor,
            cep.id,
            today,
            "plan_action_realise",
            cep.version,
        )
        services.events.close(actor, opened.id)
        doomed = services.cep.add(actor, other_id, add)
        measure("Suppression du CEP", services.cep.delete, actor, doomed.id, doomed.version)
    return [
        latency_row(f"Écriture : {name}, {len(values)} fois", values, WRITE_P95_MS)
        for name, values in times.items()
    ]


# -- the table ----------------------------------------------------------------------------
def table(rows: list[Row]) -> str:
    header = ["Mesure", "Résultat", "Cible", "Atteinte"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def _server_ns(pid: int | None) -> int:
    """Nanoseconds the PostgreSQL backend `pid` has spent on a CPU (Linux, server on this
    machine), 0 without one."""
    if pid is None:
        return 0
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def _backend_pid() -> int | None:
    """The PostgreSQL backend of this thread's connection, when it runs on this machine
    (its /proc entry readable)."""
    from cep_tui.db.connection import database_proxy

    (pid,) = database_proxy.obj.execute_sql("SELECT pg_backend_pid()").fetchone()
    return pid if Path(f"/proc/{pid}/schedstat").exists() else None


def cpu_timed(calls: list[Callable[[], object]]) -> tuple[list[float], str]:
    """Milliseconds of CPU of each call, and how they were counted: this process's
    (time.process_time: SQLite computes here), plus the PostgreSQL backend's when the
    server runs on this machine; else wall-clock milliseconds. CPU time holds on a busy
    machine, where other processes multiply the wall-clock time."""
    from cep_tui.db.connection import is_sqlite

    sqlite = is_sqlite()
    pid = None if sqlite else _backend_pid()
    wall = not sqlite and pid is None
    out = []
    for call in calls:
        server, cpu, started = _server_ns(pid), time.process_time(), time.perf_counter()
        call()
        if wall:
            out.append((time.perf_counter() - started) * 1000)
        else:
            spent = time.process_time() - cpu + (_server_ns(pid) - server) / 1e9
            out.append(spent * 1000)
    if wall:
        return out, "durée murale (serveur distant)"
    return out, "CPU du processus" + (" + CPU du serveur" if pid else "")


def indicator_rows(url: str, count: int) -> list[Row]:
    """The CEP indicators (issue 15): a year of the whole structure, on periods of twelve
    months ending at random months; « Mes jeunes » of the structure's counsellors. In CPU
    time (`cpu_timed`)."""
    from cep_tui.bootstrap import open_services
    from cep_tui.db.models import Counsellor

    services = open_services(url, seed_demo=False)
    actor = services.counsellors.sign_in(LOGIN)
    Counsellor.update(right_view_indicators=True).where(Counsellor.id == actor.id).execute()
    rng = random.Random(SEED)
    today = services.clock.today()

    def year(months_back: int):
        """Twelve whole months, the last ending `months_back` months before this one."""
        index = today.year * 12 + today.month - 1 - months_back  # the month after the last
        end = dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
        first = index - 12
        start = dt.date(first // 12, first % 12 + 1, 1)
        return lambda: services.indicators.compute(actor, start, end, "structure")

    people = [
        services.counsellors.sign_in(c.login)
        for c in Counsellor.select().where(Counsellor.structure == actor.structure_id)
        if c.right_view_dossier
    ]
    timed([year(rng.randint(0, 24)) for _ in range(3)])  # warm-up
    years = [year(rng.randint(0, 24)) for _ in range(max(10, count // 10))]
    chosen = [rng.choice(people) for _ in range(count)]
    caseloads = [lambda who=who: services.caseload.mine(who) for who in chosen]
    timed(caseloads[:10])
    sizes = sorted(len(services.caseload.mine(p)) for p in people)
    year_times, how = cpu_timed(years)
    caseload_times, _ = cpu_timed(caseloads)
    return [
        latency_row(
            f"Indicateurs CEP d'une année de la structure, {len(years)} périodes ({how})",
            year_times,
            INDICATORS_P95_MS,
        ),
        latency_row(
            f"« Mes jeunes » d'un conseiller ({sizes[0]} à {sizes[-1]} jeunes en CEP), "
            f"{count} lectures ({how})",
            caseload_times,
            CASELOAD_P95_MS,
        ),
    ]


# The measures, in the order they run (`--only NAME` picks some).
MEASURES = ("startup", "search", "indicators", "open", "writes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE"),
        help="URL of the data (default: $BENCH_DATABASE, else the cached SQLite file)",
    )
    parser.add_argument("--runs", type=int, default=10, help="start-ups of each app")
    parser.add_argument("--queries", type=int, default=200, help="searches of each kind")
    parser.add_argument("--writes", type=int, default=30, help="young people written to")
    parser.add_argument("--repeat", type=int, default=30, help="openings of the dossier")
    parser.add_argument(
        "--only",
        choices=MEASURES,
        action="append",
        help="run this measure alone (repeatable): the others are skipped",
    )
    args = parser.parse_args(argv)
    only = set(args.only or MEASURES)
    sys.path.insert(0, str(ROOT / "src"))

    url = dataset(args.database)
    engine = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    rows = []
    if "startup" in only:
        rows += startup_rows(url, args.runs)  # first: this process is still small
    data = describe(url)
    if "search" in only:
        rows += search_rows(url, args.queries)
    if only & {"indicators", "open", "writes"}:
        with writable_copy(url) as copy:
            if "indicators" in only:
                rows += indicator_rows(copy, args.queries)
            if "open" in only:
                rows += open_rows(copy, args.repeat)
            if "writes" in only:
                rows += write_rows(copy, args.writes)
    print(f"cep-tui sur {engine} ({data}) ; {machine()}")
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
