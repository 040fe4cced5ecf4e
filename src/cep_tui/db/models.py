"""The tables. No rules here: the services own them. The database holds what it can
(foreign keys, checks, unique and partial unique indexes) as a second line of defence."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    NodeList,
    TextField,
)

from cep_tui.db.connection import database_proxy, is_sqlite
from cep_tui.vocabulary import (
    ACTION_TEXT_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    ActionKind,
    ActionState,
    DossierStatus,
    EducationLevel,
    EnrolmentStatus,
    ExitReason,
    OfferOrigin,
    ReferenceKind,
    Residence,
    sql_in,
)


class NeverReusedId(AutoField):
    """A primary key whose values are never given twice. PostgreSQL sequences already
    behave so; SQLite needs AUTOINCREMENT, or it gives a deleted row's id to the next
    insert (a form still open on a deleted dispositif would then save onto another)."""

    def ddl(self, ctx):
        node = super().ddl(ctx)
        return NodeList((node, SQL("AUTOINCREMENT"))) if is_sqlite() else node


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()


class Structure(BaseModel):
    code = TextField(unique=True)
    name = TextField()
    # Invented data (`cep-tui demo`, `make run`): there, and only there, anyone may open
    # the app as any counsellor (`--as`). Added by a migration: hence the database default.
    demonstration = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])


class Counsellor(BaseModel):
    # Unique within its structure (migration 9): no structure takes a login that another
    # will need, nor learns which logins another has.
    login = TextField()
    first_name = TextField()
    last_name = TextField()
    structure = ForeignKeyField(Structure, backref="counsellors", on_delete="RESTRICT")
    right_view_dossier = BooleanField(default=False)
    right_edit_dossier = BooleanField(default=False)
    right_events = BooleanField(default=False)
    right_propose_cep = BooleanField(default=False)
    right_manage_offers = BooleanField(default=False)
    right_administer = BooleanField(default=False)
    active = BooleanField(default=True)
    # Added by migration 6; the database default serves inserts that predate it (the
    # first counsellor of a structure is inserted in SQL: README).
    right_view_indicators = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])

    class Meta:
        indexes = ((("structure", "login"), True),)


class ReferenceValue(BaseModel):
    kind = TextField(constraints=[Check(f"kind IN ({sql_in(ReferenceKind)})")])
    code = TextField(null=True)  # national codes such as CEP; local values have none
    label = TextField(constraints=[Check("length(trim(label)) > 0")])
    position = IntegerField(default=0)
    active = BooleanField(default=True)

    class Meta:
        indexes = (
            (("kind", "label"), True),
            (("kind", "code"), True),
        )


class Dossier(BaseModel):
    structure = ForeignKeyField(Structure, backref="dossiers", on_delete="RESTRICT")
    number = TextField(unique=True)
    last_name = TextField()
    first_name = TextField()
    birth_date = DateField()
    sex = TextField(constraints=[Check("sex IN ('F', 'M')")])
    address = TextField(default="")
    postal_code = TextField(default="")
    city = TextField(default="")
    phone = TextField(default="")
    email = TextField(default="")
    complementary_info = TextField(default="")
    situation = TextField(default="")
    status = TextField(
        default=DossierStatus.NOT_JUSTIFIED.value,
        constraints=[Check(f"status IN ({sql_in(DossierStatus)})")],
    )
    referent = ForeignKeyField(Counsellor, null=True, on_delete="SET NULL")
    # Folded words for accent-, case- and ligature-insensitive search (cep_tui.db.search).
    search_text = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    updated_by = ForeignKeyField(Counsellor, null=True, on_delete="SET NULL", backref="+")
    version = IntegerField(default=1)
    # The profile the CEP indicators break down by (migration 6): "inconnu" until said,
    # also for dossiers inserted in SQL by the information system.
    education_level = TextField(
        default=EducationLevel.UNKNOWN.value,
        constraints=[
            SQL("DEFAULT 'inconnu'"),
            Check(f"education_level IN ({sql_in(EducationLevel)})"),
        ],
    )
    qpv = TextField(
        default=Residence.UNKNOWN.value,
        constraints=[SQL("DEFAULT 'inconnu'"), Check(f"qpv IN ({sql_in(Residence)})")],
    )
    zrr = TextField(
        default=Residence.UNKNOWN.value,
        constraints=[SQL("DEFAULT 'inconnu'"), Check(f"zrr IN ({sql_in(Residence)})")],
    )

    class Meta:
        indexes = (
            (("structure", "last_name", "first_name"), False),
            # The search by birth date, and "my dossiers, most recently changed first".
            (("structure", "birth_date"), False),
            (("referent", "updated_at"), False),
        )


class Request(BaseModel):
    """A "Demande" of the young person (read-only here)."""

    dossier = ForeignKeyField(Dossier, backref="requests", on_delete="CASCADE")
    requested_on = DateField()
    subject = TextField()
    status = TextField()
    counsellor = ForeignKeyField(Counsellor, null=True, on_delete="SET NULL")


class Appointment(BaseModel):
    """A "Rendez-vous" (read-only here)."""

    dossier = ForeignKeyField(Dossier, backref="appointments", on_delete="CASCADE")
    starts_at = DateTimeField()
    subject = TextField()
    place = TextField(default="")
    status = TextField(default="Prévu")
    counsellor = ForeignKeyField(Counsellor, null=True, on_delete="SET NULL")


class Offer(BaseModel):
    """An offer of service of the structure's internal catalogue (kind marker "O")."""

    structure = ForeignKeyField(Structure, backref="offers", on_delete="RESTRICT")
    origin = TextField(constraints=[Check(f"origin IN ({sql_in(OfferOrigin)})")])
    theme = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    service_act = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    regional_service_act = TextField(default="")
    offer_type = TextField(default="")
    contract = TextField(default="")
    name = TextField(constraints=[Check("length(trim(name)) > 0")])
    start_date = DateField()
    end_date = DateField(null=True)
    state = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    referent = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    national_measure = ForeignKeyField(ReferenceValue, null=True, on_delete="RESTRICT", backref="+")
    partner = TextField(default="")
    # Conditions MER (mise en relation)
    public = TextField(default="")
    prerequisites = TextField(default="")
    places = IntegerField(null=True, constraints=[Check("places IS NULL OR places >= 0")])
    contact = TextField(default="")
    search_text = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    updated_by = ForeignKeyField(Counsellor, null=True, on_delete="SET NULL", backref="+")
    version = IntegerField(default=1)

    class Meta:
        constraints = [SQL("CHECK (end_date IS NULL OR end_date >= start_date)")]


class DispositifType(BaseModel):
    """The national catalogue of dispositifs (kind marker "d"): CEP, EMPLOI D'AVENIR."""

    code = TextField(unique=True)
    name = TextField()
    description = TextField(default="")
    search_text = TextField(default="")
    active = BooleanField(default=True)


class Event(BaseModel):
    """An "évènement": the trace of a contact, with up to three contexts."""

    dossier = ForeignKeyField(Dossier, backref="events", on_delete="CASCADE")
    event_date = DateField()
    primary_context = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    secondary_context = ForeignKeyField(
        ReferenceValue, null=True, on_delete="RESTRICT", backref="+"
    )
    tertiary_context = ForeignKeyField(ReferenceValue, null=True, on_delete="RESTRICT", backref="+")
    direction = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    nature = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    reception_place = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    function = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    intervenant = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    comment = TextField(default="", constraints=[Check(f"length(comment) <= {COMMENT_MAX_LENGTH}")])
    walk_in = BooleanField(default=False)
    in_progress = BooleanField(default=True)
    closed_at = DateTimeField(null=True)
    created_by = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("dossier", "event_date"), False),)
        constraints = [
            SQL(
                "CHECK (secondary_context_id IS NULL OR secondary_context_id <> primary_context_id)"
            ),
            SQL(
                "CHECK (tertiary_context_id IS NULL OR (secondary_context_id IS NOT NULL"
                " AND tertiary_context_id <> primary_context_id"
                " AND tertiary_context_id <> secondary_context_id))"
            ),
            SQL("CHECK (in_progress = (closed_at IS NULL))"),
        ]


class EventAction(BaseModel):
    """An action recorded in the event in progress (e.g. "Passage en phase 3")."""

    event = ForeignKeyField(Event, backref="actions", on_delete="CASCADE")
    kind = TextField(constraints=[Check(f"kind IN ({sql_in(ActionKind)})")])
    description = TextField(default="")
    at = DateTimeField()
    counsellor = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")


class Proposal(BaseModel):
    """An offer proposed to a young person (Suivi > Services); phase 1 when the offer is CEP."""

    dossier = ForeignKeyField(Dossier, backref="proposals", on_delete="CASCADE")
    # Indexed first in (offer, proposed_on, dossier) below.
    offer = ForeignKeyField(Offer, backref="proposals", on_delete="RESTRICT", index=False)
    event = ForeignKeyField(Event, backref="proposals", on_delete="RESTRICT")
    counsellor = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    proposed_on = DateField()
    comment = TextField(default="", constraints=[Check(f"length(comment) <= {COMMENT_MAX_LENGTH}")])
    created_at = DateTimeField()

    class Meta:
        # Phase 1 of the CEP indicators: the proposals of the CEP offers in a period, and
        # whose they are, read from the index alone (cep_tui.db.reporting).
        indexes = ((("offer", "proposed_on", "dossier"), False),)


class Enrolment(BaseModel):
    """A dispositif added to a dossier; for the CEP, phases 2 and 3."""

    id = NeverReusedId()
    dossier = ForeignKeyField(Dossier, backref="enrolments", on_delete="CASCADE")
    dispositif = ForeignKeyField(DispositifType, on_delete="RESTRICT", backref="+")
    status = TextField(
        default=EnrolmentStatus.IN_PROGRESS.value,
        constraints=[Check(f"status IN ({sql_in(EnrolmentStatus)})")],
    )
    phase = IntegerField(constraints=[Check("phase IN (2, 3)")])
    referrer = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    initial_interview_date = DateField(null=True)
    entry_date = DateField()
    solicitation_reason = ForeignKeyField(ReferenceValue, on_delete="RESTRICT", backref="+")
    prescriber_name = TextField(default="")
    referent_name = TextField(default="")
    project_type = ForeignKeyField(ReferenceValue, null=True, on_delete="RESTRICT", backref="+")
    end_date = DateField(null=True)
    exit_reason = TextField(
        null=True,
        constraints=[Check(f"exit_reason IS NULL OR exit_reason IN ({sql_in(ExitReason)})")],
    )
    created_at = DateTimeField()
    created_by = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    updated_at = DateTimeField()
    updated_by = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    version = IntegerField(default=1)

    class Meta:
        constraints = [
            SQL("CHECK (initial_interview_date IS NULL OR initial_interview_date <= entry_date)"),
            SQL(
                "CHECK ((status = 'cloture') = (end_date IS NOT NULL AND exit_reason IS NOT NULL))"
            ),
            SQL("CHECK (end_date IS NULL OR end_date >= entry_date)"),
        ]


# A young person never has two of the same dispositif in progress, even if a service
# check were bypassed: a unique index restricted to the rows in progress.
Enrolment.add_index(
    Enrolment.index(Enrolment.dossier, Enrolment.dispositif, unique=True).where(
        Enrolment.status == EnrolmentStatus.IN_PROGRESS.value
    )
)
# Likewise at most one event in progress per dossier. Named: the generated name would be
# "event_dossier_id", the foreign key's own index, and the CREATE INDEX IF NOT EXISTS of
# create_tables would then silently skip this one.
Event.add_index(
    Event.index(Event.dossier, unique=True, name="event_one_in_progress_per_dossier").where(
        Event.in_progress == True  # noqa: E712
    )
)


class PhasePeriod(BaseModel):
    """One phase of a CEP: "Phase 2 : du jj/mm/aaaa au jj/mm/aaaa"."""

    enrolment = ForeignKeyField(Enrolment, backref="phases", on_delete="CASCADE")
    phase = IntegerField(constraints=[Check("phase IN (2, 3)")])
    start_date = DateField()
    end_date = DateField(null=True)

    class Meta:
        indexes = ((("enrolment", "phase"), True),)
        constraints = [SQL("CHECK (end_date IS NULL OR end_date >= start_date)")]


class ActionPlanItem(BaseModel):
    """A line of a CEP's « Plan d'action »: what the young person (or the counsellor) will
    do, by when, and where it stands."""

    id = NeverReusedId()
    enrolment = ForeignKeyField(Enrolment, backref="action_plan", on_delete="CASCADE")
    text = TextField(
        constraints=[Check(f"length(trim(text)) > 0 AND length(text) <= {ACTION_TEXT_MAX_LENGTH}")]
    )
    target_date = DateField()
    state = TextField(
        default=ActionState.TO_DO.value,
        constraints=[Check(f"state IN ({sql_in(ActionState)})")],
    )
    created_at = DateTimeField()
    created_by = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    updated_at = DateTimeField()
    updated_by = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("enrolment", "target_date"), False),)


class Anonymisation(BaseModel):
    """A dossier anonymised by the retention (décret n° 2015-59): its personal values are
    gone; what the indicators count stays. Its own table, so that the dossier's rows keep
    their shape and every query that must skip such dossiers can say so."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE", backref="+")
    anonymised_at = DateTimeField()
    counsellor = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")


class AuditRecord(BaseModel):
    """Who did what, when, with the state before and after (JSON)."""

    at = DateTimeField(index=True)
    counsellor = ForeignKeyField(Counsellor, on_delete="RESTRICT", backref="+")
    structure = ForeignKeyField(Structure, on_delete="RESTRICT", backref="+")
    action = TextField()
    entity = TextField()
    entity_id = IntegerField(null=True)
    before = TextField(null=True)
    after = TextField(null=True)
    # The operating system's account at the keyboard (cep_tui.identity), beside the
    # counsellor it acted as; NULL for the records written before it was kept.
    os_account = TextField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion,
    Structure,
    Counsellor,
    ReferenceValue,
    Dossier,
    Request,
    Appointment,
    Offer,
    DispositifType,
    Event,
    EventAction,
    Proposal,
    Enrolment,
    PhasePeriod,
    ActionPlanItem,
    Anonymisation,
    AuditRecord,
)
