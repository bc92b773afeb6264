"""What is due across dossiers: overdue, due within N days, awaiting an answer.

For each authority of a dossier, the next step follows from the dossier's own fields
(decisions[].recours_gracieux, decisions[].rejet_explicite) and its journal (answers,
requêtes filed, judgments, payments); the dates come from the deadline engine through
`deadlines_of`, the one place that reads them, from the dossier's legal analysis.
Pure: no I/O, no clock (today is a parameter).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from recours.dossier.models import Autorite, Decision, Dossier, Evenement
from recours.formatting import date_longue, montant
from recours.law.analysis import Analysis
from recours.law.deadlines import DeadlineReport

EN_RETARD = "en_retard"
A_ECHEANCE = "a_echeance"
A_VENIR = "a_venir"
EN_ATTENTE = "en_attente"
ETATS = (EN_RETARD, A_ECHEANCE, EN_ATTENTE, A_VENIR)
"""Display order of the states."""


def deadlines_of(analysis: Analysis, index: int) -> DeadlineReport:
    """The deadlines of one decision, from the dossier's legal analysis: the only access of
    the follow-up to the law."""
    return analysis.decision(index).delais


@dataclass(frozen=True)
class Item:
    """One thing to do or to wait for, in one dossier, towards one authority."""

    etat: str
    date: date
    jours: int  # (date - today).days
    dossier: str  # path as given
    organisme: str
    siren: str
    etablissements: tuple[str, ...]
    autorite: str
    autorite_id: str
    decisions: tuple[str, ...]
    etape: str  # gracieux | reponse | requete | jugement | paiement
    action: str
    commande: str | None

    @property
    def cle(self) -> str:
        """Stable identity of the step (calendar UID): not the state, not the path."""
        return "|".join([self.siren, self.autorite_id, ",".join(self.decisions), self.etape])

    def to_json(self) -> dict[str, Any]:
        return {
            "etat": self.etat,
            "date": self.date.isoformat(),
            "jours": self.jours,
            "dossier": self.dossier,
            "organisme": self.organisme,
            "siren": self.siren,
            "etablissements": list(self.etablissements),
            "autorite": self.autorite,
            "autorite_id": self.autorite_id,
            "decisions": list(self.decisions),
            "etape": self.etape,
            "action": self.action,
            "commande": self.commande,
        }


def _state(limit: date, today: date, days: int) -> str:
    if limit < today:
        return EN_RETARD
    return A_ECHEANCE if (limit - today).days <= days else A_VENIR


def _latest(events: Iterable[Evenement], **match: str) -> Evenement | None:
    found = [e for e in events if all(getattr(e, k) == v for k, v in match.items())]
    return max(found, key=lambda e: e.date or date.min, default=None)


def dossier_items(dossier: Dossier, path: str, today: date, days: int) -> list[Item]:
    """The open steps of one dossier on `today`; `days` is the horizon of « à échéance »."""
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    items: list[Item] = []
    command_path = shlex.quote(path)
    journal = dossier.journal
    analysis = analyse(dossier, today, load_referentiel())

    for autorite in dossier.autorites:
        decisions = [(i, d) for i, d in enumerate(dossier.decisions) if d.autorite == autorite.id]
        if not decisions:
            continue

        def item(
            etat: str,
            when: date,
            etape: str,
            action: str,
            commande: str | None,
            concerned: list[tuple[int, Decision]],
            autorite: Autorite = autorite,
        ) -> Item:
            etabs: dict[str, str] = {}
            for _, decision in concerned:
                for etab in dossier.etablissements_de(decision):
                    etabs.setdefault(etab.finess, f"{etab.nom} ({etab.finess})")
            return Item(
                etat=etat,
                date=when,
                jours=(when - today).days,
                dossier=path,
                organisme=dossier.organisme.raison_sociale,
                siren=dossier.organisme.siren_effectif,
                etablissements=tuple(etabs.values()),
                autorite=autorite.nom,
                autorite_id=autorite.id,
                decisions=tuple(dossier.decision_id(i) for i, _ in concerned),
                etape=etape,
                action=action,
                commande=commande,
            )

        pending = [(i, d) for i, d in decisions if d.recours_gracieux is None]
        if pending:
            reports = [deadlines_of(analysis, i) for i, _ in pending]
            limits = [r.recours_gracieux.date_limite for r in reports]
            open_limits = [x for x in limits if x >= today]
            if open_limits:
                limit = min(open_limits)
                items.append(
                    item(
                        _state(limit, today, days),
                        limit,
                        "gracieux",
                        "Envoyer le recours gracieux (cachet de la poste au plus tard le "
                        f"{date_longue(limit)}).",
                        f"recours generer {command_path} --documents gracieux",
                        pending,
                    )
                )
            else:
                limit = max(limits)
                possible = [p for r in reports for p in r.possibilites]
                items.append(
                    item(
                        EN_RETARD,
                        limit,
                        "gracieux",
                        f"Délai du recours gracieux expiré le {date_longue(limit)}."
                        + (" " + possible[0] if possible else ""),
                        None,
                        pending,
                    )
                )

        sent = [(i, d) for i, d in decisions if d.recours_gracieux is not None]
        if not sent:
            continue
        answer = _latest(journal, type="reponse", autorite=autorite.id)
        paid = _latest(journal, type="paiement", autorite=autorite.id)
        for index, decision in sent:
            ident = dossier.decision_id(index)
            judgment = _latest(journal, type="jugement", decision=ident)
            filed = _latest(journal, type="requete_deposee", decision=ident)
            one = [(index, decision)]
            if judgment is not None and judgment.date is not None:
                if judgment.sens != "defavorable" and (
                    paid is None or (paid.date or date.min) < judgment.date
                ):
                    items.append(
                        item(
                            EN_ATTENTE,
                            judgment.date,
                            "paiement",
                            f"Jugement du {date_longue(judgment.date)} "
                            f"({_sens(judgment)}) : en attente du paiement.",
                            None,
                            one,
                        )
                    )
                continue
            if filed is not None and filed.date is not None:
                number = f" n° {filed.numero}" if filed.numero else ""
                items.append(
                    item(
                        EN_ATTENTE,
                        filed.date,
                        "jugement",
                        f"Requête{number} déposée le {date_longue(filed.date)} "
                        f"({filed.juridiction}) : en attente du jugement.",
                        None,
                        one,
                    )
                )
                continue
            if answer is not None and answer.sens == "acceptee" and answer.date is not None:
                if paid is None or (paid.date or date.min) < answer.date:
                    items.append(
                        item(
                            EN_ATTENTE,
                            answer.date,
                            "paiement",
                            f"Réponse favorable du {date_longue(answer.date)}"
                            + (f" ({montant(answer.montant)})" if answer.montant else "")
                            + " : en attente du paiement.",
                            None,
                            one,
                        )
                    )
                continue
            report = deadlines_of(analysis, index)
            gracieux = decision.recours_gracieux
            assert gracieux is not None
            contentieux = report.recours_contentieux
            requete = f"recours generer {command_path} --documents requete --bordereau"
            partial = ""
            if answer is not None and answer.sens == "partielle" and answer.date is not None:
                partial = (
                    f" Réponse partielle du {date_longue(answer.date)} "
                    f"({montant(answer.montant or Decimal(0))} accordés) : son effet sur le délai "
                    "est à vérifier."
                )
            waiting = (
                decision.rejet_explicite is None
                and report.rejet_implicite is not None
                and report.rejet_implicite >= today
                and (answer is None or answer.sens != "partielle")
            )
            if waiting:
                assert report.rejet_implicite is not None
                items.append(
                    item(
                        EN_ATTENTE,
                        report.rejet_implicite,
                        "reponse",
                        f"Recours gracieux envoyé le {date_longue(gracieux.date_envoi)} : en "
                        "attente de la réponse ; sans réponse, rejet implicite le "
                        f"{date_longue(report.rejet_implicite)}, puis requête au plus tard le "
                        f"{date_longue(contentieux.date_limite)}.",
                        None,
                        one,
                    )
                )
            elif contentieux.date_limite < today:
                items.append(
                    item(
                        EN_RETARD,
                        contentieux.date_limite,
                        "requete",
                        "Délai de la requête au tribunal expiré le "
                        f"{date_longue(contentieux.date_limite)}.{partial}",
                        None,
                        one,
                    )
                )
            else:
                items.append(
                    item(
                        _state(contentieux.date_limite, today, days),
                        contentieux.date_limite,
                        "requete",
                        "Déposer la requête au tribunal administratif (au plus tard le "
                        f"{date_longue(contentieux.date_limite)}).{partial}",
                        requete,
                        one,
                    )
                )
    return items


def _sens(event: Evenement) -> str:
    return {
        "favorable": "favorable",
        "partiellement_favorable": "partiellement favorable",
        "defavorable": "défavorable",
    }.get(event.sens or "", event.sens or "")


def sort_items(items: Iterable[Item]) -> list[Item]:
    """By state (overdue first), then date, then association."""
    order = {etat: i for i, etat in enumerate(ETATS)}
    return sorted(items, key=lambda it: (order[it.etat], it.date, it.organisme, it.autorite))
