"""The service layer: every rule of the guide, shared by every screen. Never imports textual.

`Services` gathers one service per area around one clock; the app and the tests build it
once the database is open.
"""

from __future__ import annotations

from cep_tui.clock import Clock, SystemClock
from cep_tui.services.administration import AdministrationService
from cep_tui.services.cep import CepService
from cep_tui.services.counsellors import CounsellorService
from cep_tui.services.dossiers import DossierService
from cep_tui.services.events import EventService
from cep_tui.services.offers import OfferService
from cep_tui.services.proposals import ProposalService
from cep_tui.services.references import ReferenceService


class Services:
    def __init__(self, clock: Clock | None = None):
        self.clock = clock or SystemClock()
        self.counsellors = CounsellorService(self.clock)
        self.references = ReferenceService(self.clock)
        self.events = EventService(self.clock)
        self.cep = CepService(self.clock)
        self.offers = OfferService(self.clock)
        self.proposals = ProposalService(self.clock, self.offers, self.events)
        self.dossiers = DossierService(self.clock, self.cep, self.events)
        self.administration = AdministrationService(self.clock)
