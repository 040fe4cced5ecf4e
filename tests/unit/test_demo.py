"""The demonstration data: counts, determinism, and consistency with every rule; on both
engines (the bulk inserts differ: executemany with explicit ids on SQLite, insert_many
then the id sequences moved past them on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import Counter, defaultdict

import pytest

from cep_tui import demo
from cep_tui.clock import FixedClock
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import (
    ALL_MODELS,
    Appointment,
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    EventAction,
    Offer,
    PhasePeriod,
    Proposal,
    ReferenceValue,
    Request,
    Structure,
)
from cep_tui.demo.former import FORMER
from cep_tui.services import Services
from cep_tui.services.cep import CepAddInput
from cep_tui.services.dates import age_on
from cep_tui.services.errors import RuleViolation
from cep_tui.services.views import CatalogueKind
from cep_tui.vocabulary import (
    CEP_CODE,
    COMMENT_MAX_LENGTH,
    ActionKind,
    DossierStatus,
    EnrolmentStatus,
    ExitReason,
    ReferenceKind,
    Right,
)
from tests.factories import make_counsellor, make_dossier, make_enrolment, make_structure

TODAY = dt.date(2026, 11, 29)
CLOCK = FixedClock.on(TODAY)
NOW = CLOCK.now()


def _open(url: str):
    db = open_database(url)
    migrate(db)
    return db


@pytest.fixture
def populated(db):
    return demo.populate(CLOCK, seed=2016)


def _digest() -> str:
    digest = hashlib.sha256()
    for model in ALL_MODELS:
        for row in model.select().order_by(model.id).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _ml2a() -> Structure:
    return Structure.get(Structure.code == "ML2A")


def _cep_enrolments():
    return list(
        Enrolment.select(Enrolment, Dossier)
        .join(DispositifType, on=(Enrolment.dispositif == DispositifType.id))
        .switch(Enrolment)
        .join(Dossier)
        .where(DispositifType.code == CEP_CODE)
    )


def _phases() -> dict[int, dict[int, PhasePeriod]]:
    phases: dict[int, dict[int, PhasePeriod]] = defaultdict(dict)
    for period in PhasePeriod.select():
        phases[period.enrolment_id][period.phase] = period
    return phases


# -- the API ---------------------------------------------------------------------------


def test_every_column_is_written():
    """The bulk path bypasses peewee's Python-side defaults: it must name every column."""
    for model, names in demo.TABLE_FIELDS.items():
        assert sorted(names) == sorted(model._meta.fields), model.__name__


def test_unknown_size_is_refused_in_french(db):
    with pytest.raises(ValueError, match="Taille de démonstration inconnue"):
        demo.populate(CLOCK, size="gigantesque")
    assert demo.is_empty()


def test_is_empty_then_populated_once(db):
    assert demo.is_empty()
    seen = []
    demo.populate(CLOCK, progress=lambda done, total: seen.append((done, total)))
    assert not demo.is_empty()
    assert seen[0][0] == 0
    assert seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    with pytest.raises(ValueError, match="déjà"):
        demo.populate(CLOCK)


def test_summary_matches_the_rows(populated):
    assert populated == demo.DemoSummary(
        structures=Structure.select().count(),
        counsellors=Counsellor.select().count(),
        dossiers=Dossier.select().count(),
        offers=Offer.select().count(),
        enrolments=Enrolment.select().count(),
        phase_periods=PhasePeriod.select().count(),
        events=Event.select().count(),
        event_actions=EventAction.select().count(),
        proposals=Proposal.select().count(),
        requests=Request.select().count(),
        appointments=Appointment.select().count(),
    )


def test_same_seed_same_rows_other_seed_other_rows(new_database_url):
    digests = []
    for seed in (2016, 2016, 7):
        db = _open(new_database_url())
        demo.populate(CLOCK, seed=seed)
        digests.append(_digest())
        db.close()
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


# -- the content of "small" --------------------------------------------------------------


def test_small_counts(populated):
    ml2a = _ml2a()
    assert populated.structures == 2
    assert populated.counsellors == 4
    assert Dossier.select().where(Dossier.structure == ml2a).count() == 200 + len(FORMER)
    assert Dossier.select().where(Dossier.structure != ml2a).count() == 12
    assert 20 <= Offer.select().where(Offer.structure == ml2a).count() <= 30
    assert populated.events >= 4 * populated.dossiers
    assert populated.proposals > 100
    assert populated.requests > 100
    assert populated.appointments > 100
    assert Appointment.select().where(Appointment.starts_at > NOW).count() > 10


def test_young_people(populated):
    dossiers = list(Dossier.select())
    # The public of the Missions Locales, 15 to 25; the former young people (past the
    # retention limit, tests/unit/test_demo_former.py) aside.
    formers = {(last, first) for last, first, _ in FORMER}
    ages = Counter(
        age_on(d.birth_date, TODAY) for d in dossiers if (d.last_name, d.first_name) not in formers
    )
    assert ages[15] == 2
    assert ages[16] >= 3
    assert min(ages) == 15 and max(ages) == 25
    justified = sum(d.status == DossierStatus.JUSTIFIED.value for d in dossiers)
    assert 0.78 <= justified / len(dossiers) <= 0.92
    assert len({d.number for d in dossiers}) == len(dossiers)
    for d in dossiers:
        assert len(d.number) == 7 and d.number.isdigit()
        assert len(d.postal_code) == 5 and d.postal_code.startswith("20")
        assert d.search_text.strip(), d.last_name
        assert d.created_at <= d.updated_at <= NOW
        assert d.created_at.date() >= d.birth_date
    dupont = Counsellor.get(Counsellor.login == demo.DEFAULT_LOGIN)
    assert 24 <= Dossier.select().where(Dossier.referent == dupont).count() <= 100


def test_cep_states_in_ml2a(populated):
    ml2a = _ml2a()
    phases = _phases()
    states = Counter()
    for e in _cep_enrolments():
        if e.dossier.structure_id != ml2a.id:
            continue
        if e.status == EnrolmentStatus.CLOSED.value:
            states["closed"] += 1
        elif e.phase == 2:
            states["phase2"] += 1
        elif phases[e.id][3].start_date > TODAY:
            states["planned"] += 1
        else:
            states["phase3"] += 1
            assert 2 in phases[e.id], "phase 3 with its phase-2 history"
    assert states == {"phase2": 20, "phase3": 15, "planned": 2, "closed": 15 + len(FORMER)}
    reasons = {e.exit_reason for e in _cep_enrolments() if e.exit_reason}
    assert len(reasons) >= 3
    eav = (
        Enrolment.select()
        .join(DispositifType, on=(Enrolment.dispositif == DispositifType.id))
        .where(DispositifType.code == "EMPLOI_AVENIR")
    )
    assert eav.count() >= 2
    assert all(e.phase in (2, 3) for e in eav)


def test_every_cep_enrolment_is_consistent(populated):
    phases = _phases()
    in_progress = Counter()
    by_dossier = defaultdict(list)
    for e in _cep_enrolments():
        d = e.dossier
        by_dossier[d.id].append(e)
        assert d.status == DossierStatus.JUSTIFIED.value
        assert age_on(d.birth_date, e.entry_date) >= 16
        assert e.entry_date <= TODAY
        assert e.initial_interview_date is None or e.initial_interview_date <= e.entry_date
        periods = phases[e.id]
        assert e.phase == max(periods)
        assert min(p.start_date for p in periods.values()) == e.entry_date
        if 2 in periods and 3 in periods:
            p2, p3 = periods[2], periods[3]
            assert p2.end_date == p3.start_date - dt.timedelta(days=1)
            assert p3.start_date >= p2.start_date + dt.timedelta(days=1)
        current = periods[e.phase]
        if e.status == EnrolmentStatus.CLOSED.value:
            assert ExitReason(e.exit_reason)
            assert current.end_date == e.end_date
            assert current.start_date <= e.end_date <= TODAY
            assert e.version >= 2
        else:
            in_progress[d.id] += 1
            assert e.end_date is None and e.exit_reason is None
            assert current.end_date is None
        assert e.created_at <= e.updated_at <= NOW
        assert Counsellor.get_by_id(e.created_by_id).right_propose_cep
    assert max(in_progress.values()) == 1
    for enrolments in by_dossier.values():  # one after the other, never overlapping
        enrolments.sort(key=lambda e: e.entry_date)
        for before, after in itertools.pairwise(enrolments):
            assert before.end_date is not None and before.end_date < after.entry_date


def test_events_are_consistent(populated):
    cep_context = ReferenceValue.get(
        (ReferenceValue.kind == ReferenceKind.CONTEXT.value) & (ReferenceValue.code == CEP_CODE)
    ).id
    counsellors = {c.id: c for c in Counsellor.select()}
    dossiers = {d.id: d for d in Dossier.select()}
    actions = defaultdict(list)
    for action in EventAction.select():
        actions[action.event_id].append(action)
    open_events = Counter()
    events = {}
    for e in Event.select():
        events[e.id] = e
        d = dossiers[e.dossier_id]
        contexts = [e.primary_context_id, e.secondary_context_id, e.tertiary_context_id]
        chosen = [c for c in contexts if c is not None]
        assert len(chosen) == len(set(chosen))
        assert e.tertiary_context_id is None or e.secondary_context_id is not None
        assert len(e.comment) <= COMMENT_MAX_LENGTH
        assert d.created_at.date() <= e.event_date <= TODAY
        assert e.created_at <= NOW and e.created_at.date() == e.event_date
        assert e.in_progress == (e.closed_at is None)
        if e.in_progress:
            open_events[e.dossier_id] += 1
        else:
            assert e.created_at <= e.closed_at <= NOW
        for who in (e.intervenant_id, e.created_by_id):
            assert counsellors[who].structure_id == d.structure_id
        assert counsellors[e.created_by_id].right_events
        for action in actions[e.id]:
            assert e.created_at <= action.at <= (e.closed_at or NOW)
            if action.kind != ActionKind.OFFER_PROPOSED.value and "CEP" in action.description:
                assert cep_context in chosen, action.description
    assert open_events and max(open_events.values()) == 1
    assert {a.kind for acts in actions.values() for a in acts} == {k.value for k in ActionKind}
    cep_measure = ReferenceValue.get(
        (ReferenceValue.kind == ReferenceKind.NATIONAL_MEASURE.value)
        & (ReferenceValue.code == CEP_CODE)
    ).id
    for p in Proposal.select(Proposal, Offer).join(Offer):
        event = events[p.event_id]
        assert event.dossier_id == p.dossier_id
        assert p.offer.structure_id == dossiers[p.dossier_id].structure_id
        assert p.proposed_on == event.event_date
        assert p.offer.start_date <= p.proposed_on
        assert p.offer.end_date is None or p.proposed_on <= p.offer.end_date
        assert any(
            a.kind == ActionKind.OFFER_PROPOSED.value and a.description == p.offer.name
            for a in actions[p.event_id]
        )
        if p.offer.national_measure_id == cep_measure:
            contexts = (
                event.primary_context_id,
                event.secondary_context_id,
                event.tertiary_context_id,
            )
            assert cep_context in contexts


def test_offers(populated):
    ml2a = _ml2a()
    offers = list(Offer.select().where(Offer.structure == ml2a))
    names = {o.name for o in offers}
    assert {
        "OFFRE CEP",
        "AFPA RECEPTION NISTE EN HOTELLERIE AJACCIO",
        "GR2B RÉCEPTION NISTE ILE ROUSSE",
    } <= names
    cep_measure = ReferenceValue.get(
        (ReferenceValue.kind == ReferenceKind.NATIONAL_MEASURE.value)
        & (ReferenceValue.code == CEP_CODE)
    ).id
    assert sum(o.national_measure_id == cep_measure for o in offers) >= 4
    assert sum(o.end_date is not None and o.end_date < TODAY for o in offers) >= 2
    assert len({o.theme_id for o in offers}) == 7
    assert all(o.search_text.strip() for o in offers)
    assert sum(bool(o.partner) for o in offers) >= 10
    assert sum(o.places is not None for o in offers) >= 10


# -- through the services -------------------------------------------------------------


def test_demo_logins_and_their_rights(populated):
    services = Services(CLOCK)
    assert demo.DEFAULT_LOGIN in demo.DEMO_LOGINS
    rights = {login: services.counsellors.sign_in(login).rights for login in demo.DEMO_LOGINS}
    assert rights["c.dupont"] == frozenset(Right)
    assert rights["m.bernard"] == frozenset(Right) - {
        Right.MANAGE_OFFERS,
        Right.ADMINISTER,
        Right.VIEW_INDICATORS,
    }
    assert rights["l.petit"] == {Right.VIEW_DOSSIER}
    structures = {
        login: services.counsellors.sign_in(login).structure_name for login in demo.DEMO_LOGINS
    }
    assert structures["c.dupont"] == "Mission Locale du Pays Ajaccien"
    assert structures["jm.luciani"] == "Mission Locale de Balagne"


def test_search_folds_accents_ligatures_and_apostrophes(populated):
    services = Services(CLOCK)
    dupont = services.counsellors.sign_in(demo.DEFAULT_LOGIN)

    def found(text: str) -> set[tuple[str, str]]:
        page = services.dossiers.search(dupont, text, limit=200)
        return {(row.last_name, row.first_name) for row in page.items}

    assert ("Cœur", "Élodie") in found("coeur")
    assert ("Cœur", "Élodie") in found("COEUR elodie")
    assert ("Œuvray", "Maëlys") in found("oeuvray maelys")
    assert ("Saint-Exupéry", "Jean-Baptiste") in found("saint exupery")
    assert ("N'Diaye", "Moussa") in found("diaye")
    assert ("Filippi", "Lætitia") in found("laetitia filippi")
    offers = services.offers.search_catalogue(dupont, "reception", CatalogueKind.INTERNAL)
    assert {
        "AFPA RECEPTION NISTE EN HOTELLERIE AJACCIO",
        "GR2B RÉCEPTION NISTE ILE ROUSSE",
    } <= {item.name for item in offers.items}


def test_a_counsellor_sees_only_their_structure(populated):
    services = Services(CLOCK)
    luciani = services.counsellors.sign_in("jm.luciani")
    assert services.dossiers.search(luciani, "coeur").items == ()
    mine = services.dossiers.search(luciani, "", limit=50).items
    ids = [row.id for row in mine]
    assert ids
    assert all(Dossier.get_by_id(i).structure.code == "MLBA" for i in ids)


def test_the_showcase_dossiers_behave_as_the_guide_says(populated):
    services = Services(CLOCK)
    dupont = services.counsellors.sign_in(demo.DEFAULT_LOGIN)

    def dossier(last_name: str) -> Dossier:
        """The showcase one: written first (an unordered get may pick a namesake)."""
        return Dossier.select().where(Dossier.last_name == last_name).order_by(Dossier.id).get()

    with pytest.raises(RuleViolation, match="16 ans"):
        services.cep.check_can_add(dupont, dossier("Pietri").id)
    with pytest.raises(RuleViolation, match="Justifié"):
        services.cep.check_can_add(dupont, dossier("N'Diaye").id)
    with pytest.raises(RuleViolation, match="déjà"):
        services.cep.check_can_add(dupont, dossier("Cœur").id)
    santoni = dossier("Santoni")
    services.cep.check_can_add(dupont, santoni.id)
    ids = {(r.kind, r.label): r.id for r in ReferenceValue.select()}
    added = services.cep.add(
        dupont,
        santoni.id,
        CepAddInput(
            referrer_id=ids[ReferenceKind.REFERRER.value, "Mission Locale"],
            entry_date=TODAY,
            solicitation_reason_id=ids[ReferenceKind.SOLICITATION_REASON.value, "Reconversion"],
            phase=2,
        ),
    )
    assert added.in_progress
    planned = services.cep.in_progress(dupont, dossier("Œuvray").id)
    assert planned is not None and planned.phase == 3
    with pytest.raises(RuleViolation, match="phase 3"):
        services.cep.close(dupont, planned.id, TODAY, ExitReason.MOVED_AWAY)
    current = services.cep.in_progress(dupont, dossier("Cœur").id)
    closed = services.cep.close(dupont, current.id, TODAY, ExitReason.ACTION_PLAN_COMPLETED)
    assert not closed.in_progress


def test_the_ids_of_deleted_dispositifs_are_never_given_again(db):
    """On a database already in use, the bulk ids start after every id the table ever
    gave (SQLite's AUTOINCREMENT record, PostgreSQL's sequence), and the sequences are
    left after the demonstration's rows."""
    structure = make_structure("AUTRE", "Une autre structure")
    counsellor = make_counsellor(structure, "autre.conseiller")
    enrolments = [make_enrolment(make_dossier(structure), counsellor) for _ in range(3)]
    deleted = enrolments[-1].id
    PhasePeriod.delete().where(PhasePeriod.enrolment == deleted).execute()
    Enrolment.delete().where(Enrolment.id == deleted).execute()

    demo.populate(CLOCK, seed=2016)

    ids = [e.id for e in Enrolment.select(Enrolment.id)]
    assert deleted not in ids
    later = make_enrolment(make_dossier(structure), counsellor)
    assert later.id > max(ids)


def test_the_profiles_have_realistic_shares(populated):
    """Issue 15: every value of the profile appears, most young people without the bac."""
    levels = Counter(d.education_level for d in Dossier.select())
    assert set(levels) == {"inconnu", "infra3", "niveau3", "niveau4", "niveau5", "niveau6"}
    assert levels["infra3"] + levels["niveau3"] > levels["niveau5"] + levels["niveau6"]
    for name in ("qpv", "zrr"):
        shares = Counter(getattr(d, name) for d in Dossier.select())
        assert set(shares) == {"oui", "non", "inconnu"} and shares["non"] > shares["oui"]
