"""The service layer: every rule of the guide, shared by every screen. Never imports textual.

`Services` gathers one service per area around one clock; the app and the tests build it
once the database is open. Each service, and its module, is loaded on first use: the
start-up signs the counsellor in and shows the home screen before the other areas (their
rules, their views) are imported.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from cep_tui.clock import Clock, SystemClock

if TYPE_CHECKING:
    from cep_tui.services.access_journal import AccessJournalService
    from cep_tui.services.action_plan import ActionPlanService
    from cep_tui.services.administration import AdministrationService
    from cep_tui.services.caseload import CaseloadService
    from cep_tui.services.cep import CepService
    from cep_tui.services.counsellors import CounsellorService
    from cep_tui.services.documents import DocumentService
    from cep_tui.services.dossier_history import DossierHistoryService
    from cep_tui.services.dossiers import DossierService
    from cep_tui.services.events import EventService
    from cep_tui.services.indicators import IndicatorService
    from cep_tui.services.national_lists import NationalListService
    from cep_tui.services.offers import OfferService
    from cep_tui.services.proposals import ProposalService
    from cep_tui.services.references import ReferenceService
    from cep_tui.services.retention import RetentionService


class Services:
    def __init__(self, clock: Clock | None = None):
        self.clock = clock or SystemClock()

    @cached_property
    def counsellors(self) -> CounsellorService:
        from cep_tui.services.counsellors import CounsellorService

        return CounsellorService(self.clock)

    @cached_property
    def access_journal(self) -> AccessJournalService:
        from cep_tui.services.access_journal import AccessJournalService

        return AccessJournalService(self.clock)

    @cached_property
    def dossier_history(self) -> DossierHistoryService:
        from cep_tui.services.dossier_history import DossierHistoryService

        return DossierHistoryService(self.clock)

    @cached_property
    def references(self) -> ReferenceService:
        from cep_tui.services.references import ReferenceService

        return ReferenceService(self.clock)

    @cached_property
    def events(self) -> EventService:
        from cep_tui.services.events import EventService

        return EventService(self.clock)

    @cached_property
    def cep(self) -> CepService:
        from cep_tui.services.cep import CepService

        return CepService(self.clock)

    @cached_property
    def action_plan(self) -> ActionPlanService:
        from cep_tui.services.action_plan import ActionPlanService

        return ActionPlanService(self.clock)

    @cached_property
    def offers(self) -> OfferService:
        from cep_tui.services.offers import OfferService

        return OfferService(self.clock)

    @cached_property
    def proposals(self) -> ProposalService:
        from cep_tui.services.proposals import ProposalService

        return ProposalService(self.clock, self.offers, self.events)

    @cached_property
    def dossiers(self) -> DossierService:
        from cep_tui.services.dossiers import DossierService

        return DossierService(self.clock, self.cep, self.events)

    @cached_property
    def administration(self) -> AdministrationService:
        from cep_tui.services.administration import AdministrationService

        return AdministrationService(self.clock)

    @cached_property
    def national_lists(self) -> NationalListService:
        from cep_tui.services.national_lists import NationalListService

        return NationalListService(self.clock)

    @cached_property
    def documents(self) -> DocumentService:
        from cep_tui.services.documents import DocumentService

        return DocumentService(
            self.clock, self.dossiers, self.cep, self.events, self.proposals, self.action_plan
        )

    @cached_property
    def retention(self) -> RetentionService:
        from cep_tui.services.retention import RetentionService

        return RetentionService(self.clock)

    @cached_property
    def indicators(self) -> IndicatorService:
        from cep_tui.services.indicators import IndicatorService

        return IndicatorService(self.clock)

    @cached_property
    def caseload(self) -> CaseloadService:
        from cep_tui.services.caseload import CaseloadService

        return CaseloadService(self.clock)
