"""The young person's documents, written as OpenDocument text into the export folder:
« Synthèse de l'accompagnement CEP » (anyone who may consult the dossier) and « Copie des
données » (only with « Modifier les informations d'un dossier »). Producing either is
recorded in the audit journal, in the same transaction as the file is written: a document
the journal does not know of is never left behind, nor a record of one that failed."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from cep_tui import odt
from cep_tui.db.models import Counsellor, Dossier, Structure
from cep_tui.exports import ExportError, document_path, write_private
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_name
from cep_tui.services.document_content import (
    COPY_TITLE,
    SYNTHESIS_TITLE,
    DossierFile,
    HistoryLine,
    copy_blocks,
    synthesis_blocks,
)
from cep_tui.services.dossier_audit import dossier_records
from cep_tui.services.errors import NotFound, RuleViolation
from cep_tui.services.retention import is_anonymised
from cep_tui.services.views import Actor, Page
from cep_tui.vocabulary import Right

ANONYMISED = "Dossier anonymisé : il n'y a plus de données personnelles à reprendre."


class DocumentKind(StrEnum):
    SYNTHESIS = "synthese"
    DATA_COPY = "copie"

    @property
    def title(self) -> str:
        return SYNTHESIS_TITLE if self is DocumentKind.SYNTHESIS else COPY_TITLE

    @property
    def file_prefix(self) -> str:
        return "synthese-cep" if self is DocumentKind.SYNTHESIS else "copie-donnees"

    @property
    def rights(self) -> tuple[Right, ...]:
        if self is DocumentKind.SYNTHESIS:
            return (Right.VIEW_DOSSIER,)
        return (Right.VIEW_DOSSIER, Right.EDIT_DOSSIER)


class DocumentService(ServiceBase):
    def __init__(self, clock, dossiers, cep, events, proposals, action_plan):
        super().__init__(clock)
        self.dossiers = dossiers
        self.cep = cep
        self.events = events
        self.proposals = proposals
        self.action_plan = action_plan

    def dossier_by_number(self, actor: Actor, number: str) -> int:
        """The id of the dossier numbered `number` in the counsellor's structure."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = Dossier.get_or_none(
            (Dossier.number == (number or "").strip())
            & (Dossier.structure == counsellor.structure_id)
        )
        if dossier is None:
            raise NotFound(f"Aucun dossier n° {number} dans votre structure.")
        return dossier.id

    def produce(
        self,
        actor: Actor,
        dossier_id: int,
        kind: DocumentKind | str,
        output: Path | None = None,
    ) -> Path:
        """Write the document to `output` (a new file), or to a new file of the export
        folder; return its path. Raises ExportError when the file cannot be written."""
        kind = DocumentKind(kind)
        with self.writing():
            counsellor = self.authorize(actor, *kind.rights)
            dossier = self.dossier_of(counsellor, dossier_id)
            if is_anonymised(dossier.id):
                raise RuleViolation(ANONYMISED)
            file = self._gather(actor, counsellor, dossier, full=kind is DocumentKind.DATA_COPY)
            blocks = synthesis_blocks(file) if kind is DocumentKind.SYNTHESIS else copy_blocks(file)
            data = odt.render(kind.title, blocks)
            now = self.clock.now()
            path = Path(output) if output else document_path(kind.file_prefix, dossier.number, now)
            audit.record(
                counsellor,
                now,
                f"Production du document « {kind.title} »",
                "dossier",
                dossier.id,
                None,
                {"document": kind.value, "file": str(path)},
            )
            write_private(path, data)  # last: its failure rolls the record back
        return path

    # -- reading everything ------------------------------------------------------------
    def _gather(
        self, actor: Actor, counsellor: Counsellor, dossier: Dossier, *, full: bool
    ) -> DossierFile:
        ident = dossier.id
        structure = Structure.get_by_id(counsellor.structure_id)
        proposals = _every(
            lambda offset: self.proposals.list_for_dossier(actor, ident, offset=offset, limit=500)
        )
        file = DossierFile(
            structure_name=structure.name,
            produced_by=counsellor_name(counsellor),
            produced_at=self.clock.now(),
            dossier=self.dossiers.get(actor, ident),
            enrolments=self.cep.list(actor, ident),
            plans=self.action_plan.for_dossier(actor, ident),
            proposals=proposals,
        )
        if not full:
            return file
        from dataclasses import replace

        events = _every(lambda offset: self.events.list(actor, ident, offset=offset, limit=500))
        return replace(
            file,
            events=events,
            requests=self.dossiers.requests(actor, ident, limit=100_000),
            appointments=self.dossiers.appointments(actor, ident, limit=100_000),
            history=_history(ident),
        )


def _every(read_page) -> tuple:
    """Every item of a paged read."""
    items: list = []
    offset = 0
    while True:
        page: Page = read_page(offset)
        items.extend(page.items)
        if not page.has_more:
            return tuple(items)
        offset += len(page.items)


def _history(dossier_id: int) -> tuple[HistoryLine, ...]:
    records = dossier_records(dossier_id)
    people = {
        c.id: counsellor_name(c)
        for c in Counsellor.select().where(Counsellor.id.in_({r.counsellor_id for r in records}))
    }
    return tuple(
        HistoryLine(at=r.at, counsellor_name=people.get(r.counsellor_id, ""), action=r.action)
        for r in records
    )


__all__ = ["DocumentKind", "DocumentService", "ExportError"]
