"""The dossier's follow-up lists (SUIVI), each a table of one page at a time, newest
first: the services proposed, the requests and the appointments. Every value is inert."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from cep_tui.services.dates import format_date
from cep_tui.services.views import AppointmentView, Page, ProposalView, RequestView
from cep_tui.ui.inert import inert
from cep_tui.ui.widgets.dossier_sections import TableSection, newest_first, plural

PAGE_SIZE = 50  # the services proposed, read a page at a time


class ServicesSection(TableSection):
    HEADING = "SERVICES"
    COLUMNS = (("Date", 10), ("Offre — conseiller, évènement", None))
    EMPTY = "Aucun service proposé à ce jeune."

    def fetch(self, offset: int) -> Page[ProposalView]:
        return self.services.proposals.list_for_dossier(
            self.actor, self.dossier_id, offset=offset, limit=PAGE_SIZE
        )

    def row(self, item: ProposalView) -> tuple[Text, ...]:
        offer = inert(item.offer_name, style="bold")
        if item.is_cep:
            offer.append("  CEP", style="bold reverse")
        offer.append("\n")
        offer.append(inert(f"{item.counsellor_name} · évènement du {format_date(item.event_date)}"))
        return Text(format_date(item.proposed_on)), offer

    def caption(self) -> Text:
        count = len(self.items)
        proposed = f"proposé{'s' if count > 1 else ''}"
        return Text(f"{plural(count, 'service')} {proposed}{newest_first(count)}")


class RequestsSection(TableSection):
    HEADING = "DEMANDES"
    COLUMNS = (("Date", 10), ("Objet — statut, conseiller", None))
    EMPTY = "Aucune demande."

    def fetch(self, offset: int) -> Sequence[RequestView]:
        return self.services.dossiers.requests(self.actor, self.dossier_id)

    def row(self, item: RequestView) -> tuple[Text, ...]:
        subject = inert(item.subject, style="bold")
        subject.append("\n")
        subject.append(inert(item.status))
        if item.counsellor_name:
            subject.append(inert(f" · {item.counsellor_name}"))
        return Text(format_date(item.requested_on)), subject

    def caption(self) -> Text:
        count = len(self.items)
        return Text(plural(count, "demande") + newest_first(count, feminine=True))


class AppointmentsSection(TableSection):
    HEADING = "RENDEZ-VOUS"
    COLUMNS = (("Date", 10), ("Heure", 5), ("Objet — lieu, statut, conseiller", None))
    EMPTY = "Aucun rendez-vous."

    def fetch(self, offset: int) -> Sequence[AppointmentView]:
        return self.services.dossiers.appointments(self.actor, self.dossier_id)

    def row(self, item: AppointmentView) -> tuple[Text, ...]:
        subject = inert(item.subject, style="bold")
        details = [d for d in (item.place, item.status, item.counsellor_name) if d]
        subject.append("\n")
        subject.append(inert(" · ".join(details)))
        return (
            Text(format_date(item.starts_at.date())),
            Text(f"{item.starts_at:%H:%M}"),
            subject,
        )

    def caption(self) -> Text:
        return Text(f"{len(self.items)} rendez-vous{newest_first(len(self.items))}")
