"""The demonstration holds former young people past the retention limit (the last step of
`demo.populate`): a dry run lists them (and them alone), an apply anonymises them, they
are found by name like the others until then, and they are the same for a seed and a day
(tests/unit/test_demo.py compares every row of two runs)."""

from __future__ import annotations

from cep_tui import demo
from cep_tui.db.models import Dossier, Enrolment
from cep_tui.demo.former import FORMER


def test_a_dry_run_on_the_demonstration_lists_the_former_young_people(db, clock):
    from cep_tui.services import Services

    summary = demo.populate(clock, seed=2016)
    services = Services(clock)
    actor = services.counsellors.sign_in(demo.DEFAULT_LOGIN)

    report = services.retention.due(actor)

    formers = {(last, first) for last, first, _ in FORMER}
    due = {
        (d.last_name, d.first_name)
        for d in Dossier.select().where(Dossier.id.in_([r.id for r in report.dossiers]))
    }
    assert report.count == len(formers)
    assert due == formers
    assert summary.dossiers == Dossier.select().count()
    assert summary.enrolments == Enrolment.select().count()
    # Found by name as the others are (their search keys were written with the rest).
    (row,) = services.dossiers.search(actor, "albertini ghjulia").items
    assert row.last_name == "Albertini"

    assert services.retention.apply(actor).count == len(formers)
    assert services.retention.due(actor).count == 0
    assert services.dossiers.search(actor, "albertini ghjulia").items == ()
