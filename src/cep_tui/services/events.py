"""Évènements: open, close, list with the guide's filters, and the actions they record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from cep_tui.db.connection import row_locks
from cep_tui.db.models import Counsellor, Dossier, Event, EventAction, ReferenceValue
from cep_tui.services import audit
from cep_tui.services.base import References, ServiceBase
from cep_tui.services.converters import event_view
from cep_tui.services.dates import read_date
from cep_tui.services.errors import FieldErrors, NotFound, RuleViolation
from cep_tui.services.views import Actor, EventView, Page
from cep_tui.text import clean_text
from cep_tui.vocabulary import CEP_CODE, COMMENT_MAX_LENGTH, ActionKind, ReferenceKind, Right

EVENT_ALREADY_OPEN = "Un évènement est déjà en cours sur ce dossier : clôturez-le d'abord."
EVENT_NOT_FOUND = "Évènement introuvable."
CONTEXT_FIELDS = ("primary_context_id", "secondary_context_id", "tertiary_context_id")
CONTEXT_LABELS = ("Contexte primaire", "Contexte secondaire", "Contexte tertiaire")


@dataclass(frozen=True)
class EventInput:
    """The event form. Dates may be typed text (jj/mm/aaaa); choices are reference ids."""

    event_date: dt.date | str | None = None
    primary_context_id: int | None = None
    secondary_context_id: int | None = None
    tertiary_context_id: int | None = None
    direction_id: int | None = None
    nature_id: int | None = None
    reception_place_id: int | None = None
    function_id: int | None = None
    intervenant_id: int | None = None
    comment: str = ""
    walk_in: bool = False


@dataclass(frozen=True)
class EventFilter:
    """The guide's filters of the events list."""

    date_from: dt.date | str | None = None
    date_to: dt.date | str | None = None
    nature_id: int | None = None
    direction_id: int | None = None
    action_kind: ActionKind | None = None
    in_progress_only: bool = False


def comment_counter(comment: str) -> str:
    """The live counter under the comment field: "n/255"."""
    return f"{len(clean_text(comment))}/{COMMENT_MAX_LENGTH}"


class EventService(ServiceBase):
    # -- reading -----------------------------------------------------------------------
    def in_progress(self, actor: Actor, dossier_id: int) -> EventView | None:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        event = current_event(dossier)
        return self._view(event) if event else None

    def list(
        self,
        actor: Actor,
        dossier_id: int,
        filters: EventFilter = EventFilter(),
        *,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[EventView]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        errors = FieldErrors()
        date_from = read_date(
            errors, "date_from", filters.date_from, "Date entre le", required=False
        )
        date_to = read_date(errors, "date_to", filters.date_to, "Et le", required=False)
        errors.raise_if_any()
        query = Event.select().where(Event.dossier == dossier)
        if date_from:
            query = query.where(Event.event_date >= date_from)
        if date_to:
            query = query.where(Event.event_date <= date_to)
        if filters.nature_id:
            query = query.where(Event.nature == filters.nature_id)
        if filters.direction_id:
            query = query.where(Event.direction == filters.direction_id)
        if filters.in_progress_only:
            query = query.where(Event.in_progress == True)  # noqa: E712
        if filters.action_kind:
            query = query.where(
                fn.EXISTS(
                    EventAction.select(EventAction.id).where(
                        (EventAction.event == Event.id)
                        & (EventAction.kind == ActionKind(filters.action_kind).value)
                    )
                )
            )
        rows = list(
            query.order_by(Event.event_date.desc(), Event.id.desc())
            .offset(max(0, offset))
            .limit(limit + 1)
        )
        views = self._views(rows[:limit])
        return Page(items=tuple(views), offset=offset, has_more=len(rows) > limit)

    def draft(self, actor: Actor, dossier_id: int) -> EventInput:
        """The new event's form, pre-filled (services/event_draft.py says how)."""
        from cep_tui.services.event_draft import event_draft, has_cep_in_progress

        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        cep = has_cep_in_progress(dossier)
        return event_draft(counsellor, self.clock.today(), cep_context=cep)

    # -- writing -----------------------------------------------------------------------
    def open(self, actor: Actor, dossier_id: int, form: EventInput) -> EventView:
        with self.writing():
            counsellor = self.authorize(actor, Right.EVENTS, Right.VIEW_DOSSIER)
            dossier = self.dossier_of(counsellor, dossier_id, lock=True)
            if current_event(dossier, Event.id) is not None:
                raise RuleViolation(EVENT_ALREADY_OPEN)
            event = self.create_event(counsellor, dossier, form)
            audit.record(
                counsellor,
                self.clock.now(),
                "Ouverture d'évènement",
                "event",
                event.id,
                None,
                audit.snapshot(event),
            )
        # A new event: its values are those just written, and it has no action yet.
        return event_view(event)

    def close(self, actor: Actor, event_id: int) -> EventView:
        with self.writing():
            counsellor = self.authorize(actor, Right.EVENTS, Right.VIEW_DOSSIER)
            event = self._event(counsellor, event_id)
            if row_locks():
                self.dossier_of(counsellor, event.dossier_id, lock=True)
                event = Event.get_or_none(Event.id == event_id)  # as the previous writer left it
                if event is None:
                    raise NotFound(EVENT_NOT_FOUND)
            if not event.in_progress:
                raise RuleViolation("Cet évènement est déjà clôturé.")
            before = audit.snapshot(event)
            event.in_progress = False
            event.closed_at = self.clock.now()
            event.save()
            audit.record(
                counsellor,
                self.clock.now(),
                "Clôture d'évènement",
                "event",
                event.id,
                before,
                audit.snapshot(event),
            )
        return self._view(event)

    @staticmethod
    def _event(counsellor: Counsellor, event_id: int) -> Event:
        """The event, within the counsellor's structure (its dossier's boundary)."""
        event = (
            Event.select(Event, Dossier.id, Dossier.structure)
            .join(Dossier)
            .where((Event.id == event_id) & (Dossier.structure == counsellor.structure_id))
            .first()
        )
        if event is None:  # another structure's event is answered as a missing one
            raise NotFound(EVENT_NOT_FOUND)
        return event

    # -- shared with the other services ------------------------------------------------
    def create_event(
        self,
        counsellor: Counsellor,
        dossier: Dossier,
        form: EventInput,
        *,
        require_cep: bool = False,
        errors: FieldErrors | None = None,
    ) -> Event:
        """Validate the event form and insert the event, in the caller's transaction.

        `errors` lets a caller (the proposal form) gather its own field errors with ours.
        """
        errors = errors if errors is not None else FieldErrors()
        values = self._validate(counsellor, dossier, form, errors, require_cep=require_cep)
        errors.raise_if_any()
        return Event.create(
            dossier=dossier,
            created_by=counsellor,
            created_at=self.clock.now(),
            in_progress=True,
            **values,
        )

    def _validate(
        self,
        counsellor: Counsellor,
        dossier: Dossier,
        form: EventInput,
        errors: FieldErrors,
        *,
        require_cep: bool,
    ) -> dict:
        today = self.clock.today()
        event_date = read_date(errors, "event_date", form.event_date, "Date", required=True)
        if event_date and event_date > today:
            errors.add("event_date", "Date : un évènement ne peut pas être daté dans le futur.")
        if event_date and event_date < dossier.birth_date:
            errors.add("event_date", "Date : antérieure à la naissance du jeune.")

        choices = References(
            *(getattr(form, field, None) for field in CONTEXT_FIELDS),
            form.direction_id,
            form.nature_id,
            form.reception_place_id,
            form.function_id,
        )
        contexts = []
        for field, label in zip(CONTEXT_FIELDS, CONTEXT_LABELS, strict=True):
            contexts.append(
                choices.choice(
                    errors,
                    field,
                    getattr(form, field),
                    ReferenceKind.CONTEXT,
                    label,
                    required=field == "primary_context_id",
                )
            )
        primary, secondary, tertiary = contexts
        if tertiary is not None and getattr(form, "secondary_context_id", None) in (None, ""):
            errors.add(
                "tertiary_context_id",
                "Contexte tertiaire : renseigner d'abord le contexte secondaire.",
            )
        chosen = [c.id for c in contexts if c is not None]
        if len(chosen) != len(set(chosen)):
            field = (
                "tertiary_context_id"
                if tertiary is not None
                and (tertiary.id in (getattr(primary, "id", None), getattr(secondary, "id", None)))
                else "secondary_context_id"
            )
            errors.add(field, "Un même contexte ne peut pas être choisi deux fois.")
        if require_cep and not any(c is not None and c.code == CEP_CODE for c in contexts):
            errors.add(
                "primary_context_id",
                "Le contexte CEP doit figurer parmi les contextes de l'évènement.",
            )

        direction = choices.choice(
            errors,
            "direction_id",
            form.direction_id,
            ReferenceKind.DIRECTION,
            "Sens",
            required=True,
        )
        nature = choices.choice(
            errors, "nature_id", form.nature_id, ReferenceKind.NATURE, "Nature", required=True
        )
        place = choices.choice(
            errors,
            "reception_place_id",
            form.reception_place_id,
            ReferenceKind.RECEPTION_PLACE,
            "Lieu d'accueil",
            required=True,
        )
        function = choices.choice(
            errors,
            "function_id",
            form.function_id,
            ReferenceKind.FUNCTION,
            "Fonction",
            required=True,
        )
        intervenant = self._intervenant(errors, counsellor, form.intervenant_id)
        comment = clean_text(form.comment if isinstance(form.comment, str) else "")
        if len(comment) > COMMENT_MAX_LENGTH:
            errors.add(
                "comment",
                f"Commentaire : {COMMENT_MAX_LENGTH} caractères au maximum "
                f"({len(comment)} saisis).",
            )
        return {
            "event_date": event_date,
            "primary_context": primary,
            "secondary_context": secondary,
            "tertiary_context": tertiary,
            "direction": direction,
            "nature": nature,
            "reception_place": place,
            "function": function,
            "intervenant": intervenant,
            "comment": comment,
            "walk_in": bool(form.walk_in),
        }

    @staticmethod
    def _intervenant(errors: FieldErrors, counsellor: Counsellor, ident) -> Counsellor | None:
        if ident in (None, ""):
            errors.add("intervenant_id", "Intervenant : ce champ est obligatoire.")
            return None
        try:
            ident = int(ident)
        except (TypeError, ValueError):
            ident = -1
        if ident == counsellor.id and counsellor.active:
            return counsellor  # the writer, just read: active, of the structure
        intervenant = Counsellor.get_or_none(
            (Counsellor.id == ident)
            & (Counsellor.structure == counsellor.structure_id)
            & (Counsellor.active == True)  # noqa: E712
        )
        if intervenant is None:
            errors.add("intervenant_id", "Intervenant : conseiller inconnu dans votre structure.")
        return intervenant

    def _view(self, event: Event) -> EventView:
        return self._views([event])[0]

    @staticmethod
    def _views(events: list[Event]) -> list[EventView]:
        """Views of several events in a fixed number of queries, whatever their count."""
        if not events:
            return []
        ids = [e.id for e in events]
        refs = {
            r.id: r
            for r in ReferenceValue.select().where(
                ReferenceValue.id.in_(
                    {
                        rid
                        for e in events
                        for rid in (
                            e.primary_context_id,
                            e.secondary_context_id,
                            e.tertiary_context_id,
                            e.direction_id,
                            e.nature_id,
                            e.reception_place_id,
                            e.function_id,
                        )
                        if rid
                    }
                )
            )
        }
        actions: dict[int, list[EventAction]] = {}
        counsellor_ids = {e.intervenant_id for e in events}
        action_rows = list(
            EventAction.select()
            .where(EventAction.event.in_(ids))
            .order_by(EventAction.at, EventAction.id)
        )
        counsellor_ids |= {a.counsellor_id for a in action_rows}
        counsellors = {
            c.id: c for c in Counsellor.select().where(Counsellor.id.in_(counsellor_ids))
        }
        for action in action_rows:
            action.counsellor = counsellors[action.counsellor_id]
            actions.setdefault(action.event_id, []).append(action)
        for e in events:
            e.primary_context = refs[e.primary_context_id]
            e.secondary_context = refs.get(e.secondary_context_id)
            e.tertiary_context = refs.get(e.tertiary_context_id)
            e.direction = refs[e.direction_id]
            e.nature = refs[e.nature_id]
            e.reception_place = refs[e.reception_place_id]
            e.function = refs[e.function_id]
            e.intervenant = counsellors[e.intervenant_id]
        return [event_view(e, actions.get(e.id, ())) for e in events]


def current_event(dossier: Dossier | int, *columns) -> Event | None:
    """The dossier's event in progress; `columns`: only those read (a lighter read, where
    the event's id, or its date, is all that is needed)."""
    return (
        Event.select(*columns)
        .where((Event.dossier == dossier) & (Event.in_progress == True))  # noqa: E712
        .first()
    )


def record_action(
    dossier: Dossier | int,
    kind: ActionKind,
    description: str,
    counsellor: Counsellor,
    at: dt.datetime,
) -> Event | None:
    """Record an action in the dossier's event in progress, if there is one."""
    event = current_event(dossier, Event.id)
    if event is not None:
        add_action(event, kind, description, counsellor, at)
    return event


def add_action(
    event: Event | int, kind: ActionKind, description: str, counsellor: Counsellor, at: dt.datetime
) -> None:
    """Record an action in `event`, the dossier's event in progress (already read)."""
    EventAction.create(
        event=event, kind=kind.value, description=description, at=at, counsellor=counsellor
    )
