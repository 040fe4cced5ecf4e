"""The reference values the generator names (contexts, natures, places, functions, themes…),
read once from the migrated database: label -> id, whatever the administration changed."""

from __future__ import annotations

import random

from cep_tui.db.models import DispositifType, ReferenceValue, Structure
from cep_tui.demo.chance import Weighted
from cep_tui.demo.data.event_mix import (
    CONTEXT_WEIGHTS,
    DIRECTIONS,
    FUNCTIONS,
    NATURE_WEIGHTS,
    REMOTE_DIRECTION_WEIGHTS,
)
from cep_tui.demo.data.people import STRUCTURES
from cep_tui.demo.plan import EAV_CODE
from cep_tui.vocabulary import CEP_CODE, ReferenceKind

K = ReferenceKind


class References:
    """The active reference values by kind and label, the CEP's own ids, the dispositifs,
    and the weighted draws of an event's contexts and natures among the active values."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.refs: dict[str, dict[str, int]] = {kind.value: {} for kind in ReferenceKind}
        # The local lists' values, per structure (by its index in STRUCTURES), read once
        # the structure exists (its values come with it: cep_tui.db.local_lists).
        self.local: dict[tuple[str, int], dict[str, int]] = {}
        national = ReferenceValue.structure.is_null()
        for value in (
            ReferenceValue.select()
            .where(national)
            .order_by(ReferenceValue.position, ReferenceValue.id)
        ):
            if value.active:
                self.refs[value.kind][value.label] = value.id
        cep_context = ReferenceValue.get_or_none(
            (ReferenceValue.kind == K.CONTEXT.value) & (ReferenceValue.code == CEP_CODE)
        )
        cep_measure = ReferenceValue.get_or_none(
            (ReferenceValue.kind == K.NATIONAL_MEASURE.value) & (ReferenceValue.code == CEP_CODE)
        )
        cep_type = DispositifType.get_or_none(DispositifType.code == CEP_CODE)
        eav_type = DispositifType.get_or_none(DispositifType.code == EAV_CODE)
        if None in (cep_context, cep_measure, cep_type, eav_type):
            raise ValueError(
                "Les listes de référence nationales (CEP, EMPLOI D'AVENIR) manquent : "
                "la base n'est pas migrée."
            )
        self.cep_context = cep_context.id
        self.cep_measure, self.cep_measure_label = cep_measure.id, cep_measure.label
        self.dispositifs = {CEP_CODE: cep_type.id, EAV_CODE: eav_type.id}
        self.dispositif_names = {CEP_CODE: cep_type.name, EAV_CODE: eav_type.name}
        active = self.refs[K.CONTEXT.value]
        self.other_contexts = Weighted(
            {label: w for label, w in CONTEXT_WEIGHTS.items() if label in active}
        )
        self.natures = Weighted(
            {n: w for n, w in NATURE_WEIGHTS.items() if n in self.refs[K.NATURE.value]}
        )
        self.context_ids = {label: self.ref(K.CONTEXT, label) for label in active}
        self.context_ids[CEP_CODE] = self.cep_context
        self.direction_ids = self._id_map(K.DIRECTION, DIRECTIONS)
        self.nature_ids = self._id_map(K.NATURE, tuple(NATURE_WEIGHTS))
        self.function_ids = self._id_map(K.FUNCTION, FUNCTIONS)
        self.remote_directions = Weighted(REMOTE_DIRECTION_WEIGHTS)

    def _id_map(self, kind: ReferenceKind, labels: tuple[str, ...]) -> dict[str, int]:
        """Label -> id for the values the generator names, whatever the admin changed."""
        return {label: self.ref(kind, label) for label in labels}

    def ref(self, kind: ReferenceKind, label: str) -> int:
        values = self.refs[kind.value]
        return values.get(label) or next(iter(values.values()))

    def local_values(self, kind: ReferenceKind, structure: int) -> dict[str, int]:
        """Label -> id of the active values of a local list of the structure of index
        `structure` (in STRUCTURES), in their order."""
        key = (kind.value, structure)
        if key not in self.local:
            owner = Structure.get(Structure.code == STRUCTURES[structure][0])
            self.local[key] = {
                v.label: v.id
                for v in ReferenceValue.select()
                .where(
                    (ReferenceValue.kind == kind.value)
                    & (ReferenceValue.structure == owner.id)
                    & ReferenceValue.active
                )
                .order_by(ReferenceValue.position, ReferenceValue.id)
            }
        return self.local[key]

    def place_id(self, label: str, structure: int) -> int:
        """The structure's reception place of this label (else its first)."""
        values = self.local_values(K.RECEPTION_PLACE, structure)
        return values.get(label) or next(iter(values.values()))

    def pick(self, kind: ReferenceKind, structure: int) -> int:
        """Any active value of the structure's local list `kind`, drawn at random."""
        return self.rng.choice(list(self.local_values(kind, structure).values()))
