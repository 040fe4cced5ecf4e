"""The demonstration holds former young people past the retention limit: a dry run lists
them (and them alone), an apply anonymises them, and the rest of the demonstration is the
same with or without them."""

from __future__ import annotations

from cep_tui import demo, demo_former
from cep_tui.clock import FixedClock
from cep_tui.db.models import Dossier
from tests.factories import NOW


def test_a_dry_run_on_the_demonstration_lists_the_former_young_people(db, clock):
    from cep_tui.services import Services

    demo.populate(clock, seed=2016)
    before = {d.id: (d.number, d.last_name) for d in Dossier.select()}
    added = demo_former.add_former_young_people(FixedClock(NOW), seed=2016)
    services = Services(clock)
    actor = services.counsellors.sign_in(demo.DEFAULT_LOGIN)

    report = services.retention.due(actor)

    formers = {(last, first) for last, first, _ in demo_former.FORMER}
    due = {
        (d.last_name, d.first_name)
        for d in Dossier.select().where(Dossier.id.in_([r.id for r in report.dossiers]))
    }
    assert report.count == added == len(formers)
    assert due == formers
    # The demonstration's own rows did not move.
    assert {
        d.id: (d.number, d.last_name) for d in Dossier.select().where(Dossier.id.in_(list(before)))
    } == before

    assert services.retention.apply(actor).count == added
    assert services.retention.due(actor).count == 0
