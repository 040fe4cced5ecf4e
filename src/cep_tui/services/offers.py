"""Offers of service and the dispositif catalogue: search, synthèse, create and modify (the
rules of the offer form are services/offer_form.py)."""

from __future__ import annotations

from peewee import JOIN

from cep_tui.db import search
from cep_tui.db.connection import for_update
from cep_tui.db.models import Counsellor, DispositifType, Offer, Proposal, ReferenceValue
from cep_tui.db.search import words_condition
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import offer_view
from cep_tui.services.errors import EditConflict, NotFound
from cep_tui.services.offer_form import DEFAULT_STATE, OfferInput, validate_offer
from cep_tui.services.references import reference_id
from cep_tui.services.views import (
    Actor,
    CatalogueItem,
    CatalogueKind,
    DispositifView,
    OfferRow,
    OfferView,
    Page,
    RefValue,
)
from cep_tui.text import indexed_text
from cep_tui.vocabulary import CEP_CODE, OfferOrigin, ReferenceKind, Right


def offer_search_text(offer: Offer, theme: str, service_act: str, measure: str) -> str:
    """What the guide's search box covers: nom, type, thème, contrat, mesure, acte de
    service, partenaire."""
    return indexed_text(
        offer.name,
        offer.offer_type,
        theme,
        offer.contract,
        measure,
        service_act,
        offer.regional_service_act,
        offer.partner,
    )


class OfferService(ServiceBase):
    # -- the search of a dossier: "Recherche d'offres de services et dispositifs" --------
    def search_catalogue(
        self,
        actor: Actor,
        text: str,
        kind: CatalogueKind,
        *,
        offset: int = 0,
        limit: int = 20,
    ) -> Page[CatalogueItem]:
        counsellor = self.authorize(actor)
        if CatalogueKind(kind) is CatalogueKind.DISPOSITIFS:
            return self._search_dispositifs(text, offset, limit)
        today = self.clock.today()
        query = Offer.select(
            Offer.id,
            Offer.name,
            Offer.partner,
            ReferenceValue.label.alias("theme"),
            Offer.national_measure,
        ).join(ReferenceValue, on=(Offer.theme == ReferenceValue.id))
        query = search.ranked(
            query,
            search.OFFERS,
            counsellor.structure_id,
            text,
            conditions=[(Offer.end_date.is_null()) | (Offer.end_date >= today)],
            offset=offset,
            limit=limit + 1,
        )
        cep_measure = reference_id(ReferenceKind.NATIONAL_MEASURE, code=CEP_CODE)
        rows = list(query.dicts())
        items = tuple(
            CatalogueItem(
                kind=CatalogueKind.INTERNAL,
                id=r["id"],
                name=r["name"],
                theme=r["theme"],
                partner=r["partner"],
                is_cep=r["national_measure"] == cep_measure,
            )
            for r in rows[:limit]
        )
        return Page(items=items, offset=offset, has_more=len(rows) > limit)

    @staticmethod
    def _search_dispositifs(text: str, offset: int, limit: int) -> Page[CatalogueItem]:
        query = DispositifType.select().where(DispositifType.active == True)  # noqa: E712
        condition = words_condition(DispositifType.search_text, text)
        if condition is not None:
            query = query.where(condition)
        rows = list(
            query.order_by(DispositifType.name, DispositifType.id)
            .offset(max(0, offset))
            .limit(limit + 1)
        )
        items = tuple(
            CatalogueItem(
                kind=CatalogueKind.DISPOSITIFS,
                id=d.id,
                name=d.name,
                theme="",
                partner="",
                is_cep=d.code == CEP_CODE,
            )
            for d in rows[:limit]
        )
        return Page(items=items, offset=offset, has_more=len(rows) > limit)

    def dispositif(self, actor: Actor, dispositif_id: int) -> DispositifView:
        self.authorize(actor)
        d = DispositifType.get_or_none(DispositifType.id == dispositif_id)
        if d is None:
            raise NotFound("Dispositif introuvable.")
        return DispositifView(id=d.id, code=d.code, name=d.name, description=d.description)

    # -- the structure's offers ----------------------------------------------------------
    def get(self, actor: Actor, offer_id: int) -> OfferView:
        """The offer's synthèse (every field, and how many proposals it has had)."""
        counsellor = self.authorize(actor)
        offer = self._offer(counsellor, offer_id)
        count = Proposal.select().where(Proposal.offer == offer).count()
        return offer_view(offer, count)

    def list(
        self,
        actor: Actor,
        text: str = "",
        *,
        theme_id: int | None = None,
        national_measure_id: int | None = None,
        state_id: int | None = None,
        current_only: bool | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[OfferRow]:
        """The offers screen: search and filters (None = no filter on that point). Its
        lines: `OfferRow`, the columns it shows (read as plain tuples, in one query)."""
        counsellor = self.authorize(actor)
        conditions = []
        if theme_id:
            conditions.append(Offer.theme == theme_id)
        if national_measure_id:
            conditions.append(Offer.national_measure == national_measure_id)
        if state_id:
            conditions.append(Offer.state == state_id)
        # A list value few offers hold narrows more than typed words: they filter those.
        selective = bool(conditions) and search.few(Offer.select(Offer.id).where(*conditions))
        today = self.clock.today()
        current = (Offer.end_date.is_null()) | (Offer.end_date >= today)
        if current_only is True:
            conditions.append(current)
        elif current_only is False:
            conditions.append(~current)
        query = search.ranked(
            _rows_query(),
            search.OFFERS,
            counsellor.structure_id,
            text,
            conditions=conditions,
            selective=selective,
            offset=offset,
            limit=limit + 1,
        )
        rows = list(query.tuples())
        return Page(items=_offer_rows(rows[:limit]), offset=offset, has_more=len(rows) > limit)

    def draft(self, actor: Actor) -> OfferInput:
        """The new offer form, pre-filled: origin ML, starting today, the counsellor as
        referent, in the state "Permanente" (when that value is active)."""
        self.authorize(actor, Right.MANAGE_OFFERS)
        state = ReferenceValue.get_or_none(
            (ReferenceValue.kind == ReferenceKind.OFFER_STATE.value)
            & (ReferenceValue.label == DEFAULT_STATE)
            & (ReferenceValue.active == True)  # noqa: E712
        )
        return OfferInput(
            origin=OfferOrigin.ML.value,
            start_date=self.clock.today(),
            state_id=state.id if state else None,
            referent_id=actor.id,
        )

    def create(self, actor: Actor, form: OfferInput) -> OfferView:
        with self.writing():
            counsellor = self.authorize(actor, Right.MANAGE_OFFERS)
            values = validate_offer(counsellor, form, None)
            now = self.clock.now()
            offer = Offer(
                structure=counsellor.structure_id,
                created_at=now,
                updated_at=now,
                updated_by=counsellor,
                **values,
            )
            offer.search_text = self.search_text_of(offer)
            offer.save()
            audit.record(
                counsellor,
                now,
                "Création d'offre de service",
                "offer",
                offer.id,
                None,
                audit.snapshot(offer),
            )
            # As just written (its values are those validated), and proposed to no one yet.
            return offer_view(offer, 0)

    def modify(
        self, actor: Actor, offer_id: int, form: OfferInput, expected_version: int | None = None
    ) -> OfferView:
        with self.writing():
            counsellor = self.authorize(actor, Right.MANAGE_OFFERS)
            offer = self._offer(counsellor, offer_id, lock=True)
            if expected_version is not None and offer.version != expected_version:
                raise EditConflict(
                    f"Cette offre a été modifiée le {offer.updated_at:%d/%m/%Y à %H:%M} par "
                    "quelqu'un d'autre : rouvrez-la pour repartir de sa version actuelle."
                )
            before = audit.snapshot(offer)
            for name, value in validate_offer(counsellor, form, offer).items():
                setattr(offer, name, value)
            now = self.clock.now()
            offer.search_text = self.search_text_of(offer)
            offer.updated_at, offer.updated_by = now, counsellor
            offer.version += 1
            offer.save()
            audit.record(
                counsellor,
                now,
                "Modification d'offre de service",
                "offer",
                offer.id,
                before,
                audit.snapshot(offer),
            )
            return offer_view(offer, Proposal.select().where(Proposal.offer == offer).count())

    @staticmethod
    def offers_query():
        Theme = ReferenceValue.alias()
        Act = ReferenceValue.alias()
        State = ReferenceValue.alias()
        Measure = ReferenceValue.alias()
        return (
            Offer.select(Offer, Theme, Act, State, Measure, Counsellor)
            .join_from(Offer, Theme, on=(Offer.theme == Theme.id), attr="theme")
            .join_from(Offer, Act, on=(Offer.service_act == Act.id), attr="service_act")
            .join_from(Offer, State, on=(Offer.state == State.id), attr="state")
            .join_from(
                Offer,
                Measure,
                JOIN.LEFT_OUTER,
                on=(Offer.national_measure == Measure.id),
                attr="national_measure",
            )
            .join_from(Offer, Counsellor, on=(Offer.referent == Counsellor.id), attr="referent")
        )

    def _offer(self, counsellor: Counsellor, offer_id: int, *, lock: bool = False) -> Offer:
        """`lock`, inside `writing()`: the offer's writers queue here until this transaction
        ends (PostgreSQL; see `write_transaction`), so its version is read as last saved."""
        query = self.offers_query().where(
            (Offer.id == offer_id) & (Offer.structure == counsellor.structure_id)
        )
        offer = (for_update(query, of=Offer) if lock else query).first()
        if offer is None:
            raise NotFound("Offre introuvable dans votre structure.")
        return offer

    @staticmethod
    def search_text_of(offer: Offer) -> str:
        return offer_search_text(
            offer,
            offer.theme.label,
            offer.service_act.label,
            offer.national_measure.label if offer.national_measure else "",
        )


def _rows_query():
    """What a line of the offers screen shows: the offer's columns, then (id, label, code,
    active) of its Thème, Mesure nationale and État."""
    Theme = ReferenceValue.alias()
    Measure = ReferenceValue.alias()
    State = ReferenceValue.alias()
    return (
        Offer.select(
            Offer.id,
            Offer.name,
            Offer.start_date,
            Offer.end_date,
            Offer.partner,
            *(v for value in (Theme, Measure, State) for v in _ref_columns(value)),
        )
        .join_from(Offer, Theme, on=(Offer.theme == Theme.id))
        .join_from(Offer, Measure, JOIN.LEFT_OUTER, on=(Offer.national_measure == Measure.id))
        .join_from(Offer, State, on=(Offer.state == State.id))
    )


def _ref_columns(value) -> tuple:
    return (value.id, value.label, value.code, value.active)


def _offer_rows(rows: list[tuple]) -> tuple[OfferRow, ...]:
    """`_rows_query` tuples as lines; a reference value shared by several lines is one
    object."""
    values: dict[int, RefValue] = {}

    def value(ident, label, code, active) -> RefValue | None:
        if ident is None:
            return None
        known = values.get(ident)
        if known is None:
            known = values[ident] = RefValue(id=ident, label=label, code=code, active=bool(active))
        return known

    return tuple(
        OfferRow(
            id=ident,
            name=name,
            theme=value(*refs[0:4]),
            national_measure=value(*refs[4:8]),
            state=value(*refs[8:12]),
            start_date=start_date,
            end_date=end_date,
            partner=partner,
        )
        for ident, name, start_date, end_date, partner, *refs in rows
    )
