"""The structures and their counsellors: the fixed ones of the guide, plus, in a large
structure, colleagues with the follow-up rights; and who does what in each structure."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from cep_tui.db.models import Counsellor, Structure
from cep_tui.demo.data.people import (
    COUNSELLORS,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    FOLLOW_UP_RIGHTS,
    LAST_NAMES,
    REFERENT_WEIGHTS,
    STRUCTURES,
)
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.plan import Staff
from cep_tui.demo.writer import BulkWriter
from cep_tui.text import fold


@dataclass
class Teams:
    """The structures' ids and, per structure (by index into STRUCTURES), its staff and
    who may do what."""

    structure_ids: list[int]
    staff: list[list[Staff]]

    def __post_init__(self) -> None:
        self.counsellor_ids = {m.login: m.id for group in self.staff for m in group}
        self.counsellor_names = {m.id: m.name for group in self.staff for m in group}
        # Per structure: who opens events and proposes (the follow-up), who edits dossiers,
        # who manages offers, and the read-only staff at the reception desk.
        self.workers = [[m.id for m in group if m.follows_up] for group in self.staff]
        self.editors = [[m.id for m in group if m.rights[1]] for group in self.staff]
        self.offer_managers = [[m.id for m in group if m.rights[4]] for group in self.staff]
        self.receptionists = [[m.id for m in group if not m.rights[2]] for group in self.staff]

    def referent_weights(self, index: int, large: bool) -> tuple[list[int | None], list[float]]:
        """Who is the référent of a young person: the core counsellors, or, in a large
        structure, mostly the others; some young people have none yet."""
        ids: list[int | None] = [None]
        weights = [4.8 if large else 12.0]
        for member in self.staff[index]:
            ids.append(member.id)
            core = REFERENT_WEIGHTS.get(member.login)
            if core is None:
                weights.append(2.4)
            else:
                weights.append(core / 10 if large else core)
        return ids, weights


def write_teams(writer: BulkWriter, rng: random.Random, profile: Profile) -> Teams:
    """Write the structures and their counsellors; return who they are."""
    first = writer.first_id(Structure, len(STRUCTURES))
    structure_ids = [first + i for i in range(len(STRUCTURES))]
    writer.insert(
        Structure,
        # Invented structures (demonstration): `--as` may open them as any counsellor.
        [
            (sid, code, name, True)
            for sid, (code, name) in zip(structure_ids, STRUCTURES, strict=True)
        ],
    )
    people = [
        (login, first_name, last_name, [c for c, _ in STRUCTURES].index(code), rights)
        for login, first_name, last_name, code, rights in COUNSELLORS
    ]
    logins = {login for login, *_ in people}
    for index, extra in enumerate(profile.extra_counsellors):
        for _ in range(extra):
            first_name = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
            last_name = rng.choice(LAST_NAMES)
            base = f"{fold(first_name)[0]}.{fold(last_name).replace(' ', '')}"
            login = base
            for n in itertools.count(2):
                if login not in logins:
                    break
                login = f"{base}{n}"
            logins.add(login)
            people.append((login, first_name, last_name, index, FOLLOW_UP_RIGHTS))
    first = writer.first_id(Counsellor, len(people))
    staff: list[list[Staff]] = [[] for _ in STRUCTURES]
    rows = []
    for offset, (login, first_name, last_name, index, rights) in enumerate(people):
        member = Staff(first + offset, login, f"{first_name} {last_name.upper()}", rights)
        staff[index].append(member)
        # The six rights, "active", then the structure's indicators for its administrators
        # (as the migration that brought that right gives it).
        flags = (*map(bool, rights), True, bool(rights[5]))
        rows.append((member.id, login, first_name, last_name, structure_ids[index], *flags))
    writer.insert(Counsellor, rows)
    return Teams(structure_ids, staff)
