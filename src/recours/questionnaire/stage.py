"""Where each decision stands: its deadlines and the documents that still make sense.

The one entry point both front-ends (terminal and web) call for the procedural stage of a
dossier: :func:`dossier_stage`. It reads ``recours.law.procedure.decision_deadlines``;
``law/analysis.py`` (one legal analysis per dossier) is meant to replace its body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recours.dossier.models import Dossier

DOCUMENT_LABELS = {"gracieux": "recours gracieux", "requete": "requête"}


@dataclass
class DecisionStage:
    """One decision: French lines to show, and the documents still possible."""

    index: int
    titre: str
    lignes: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    possibles: list[str] = field(default_factory=list)  # "gracieux", "requete"
    conseilles: list[str] = field(default_factory=list)  # the tool's default plan
    prochaine_echeance: date | None = None


@dataclass
class DossierStage:
    decisions: list[DecisionStage]

    @property
    def possibles(self) -> list[str]:
        return [d for d in ("gracieux", "requete") if any(d in s.possibles for s in self.decisions)]

    @property
    def conseilles(self) -> list[str]:
        return [
            d for d in ("gracieux", "requete") if any(d in s.conseilles for s in self.decisions)
        ]


def dossier_stage(dossier: Dossier, today: date) -> DossierStage:
    """Deadlines of every decision on ``today`` and the documents each one allows."""
    from recours.cli.report import deadline_status
    from recours.formatting import date_avec_jour, date_longue
    from recours.law.deadlines import STATUTS_OUVERTS, next_deadline
    from recours.law.procedure import decision_deadlines
    from recours.law.referentiel import load_referentiel

    ref = load_referentiel()
    stages: list[DecisionStage] = []
    for index, dec in enumerate(dossier.decisions):
        report = decision_deadlines(dossier, dec, today)
        gracieux, contentieux = report.recours_gracieux, report.recours_contentieux
        nom = dossier.autorite(dec.autorite).nom
        stage = DecisionStage(
            index,
            f"Décision {index + 1} : {ref.natures_decision[dec.nature].libelle} de {nom}, "
            f"notifiée le {date_longue(dec.date_notification)}",
        )
        lines = stage.lignes
        if dec.recours_gracieux is None:
            if gracieux.statut in STATUTS_OUVERTS:
                stage.possibles.append("gracieux")
                stage.conseilles.append("gracieux")
                lines.append(
                    f"Recours gracieux : à envoyer au plus tard le "
                    f"{date_avec_jour(gracieux.date_limite)} (cachet de la poste) — "
                    f"{deadline_status(gracieux)}"
                )
            else:
                lines.append(
                    f"Recours gracieux : délai EXPIRÉ le {date_avec_jour(gracieux.date_limite)} ; "
                    "un recours gracieux n'est plus possible."
                )
        else:
            sent = date_longue(dec.recours_gracieux.date_envoi)
            if report.gracieux_interruptif:
                lines.append(
                    f"Recours gracieux envoyé le {sent} : il a interrompu le délai de recours "
                    "contentieux."
                )
            else:
                lines.append(
                    f"Recours gracieux envoyé le {sent} : TARDIF, il n'a pas interrompu le délai "
                    "de recours contentieux."
                )
            if report.rejet_implicite is not None and dec.rejet_explicite is None:
                lines.append(
                    f"Rejet implicite (silence de l'autorité) le "
                    f"{date_avec_jour(report.rejet_implicite)}."
                )
        if contentieux.statut in STATUTS_OUVERTS:
            stage.possibles.append("requete")
            rejected = dec.rejet_explicite is not None or (
                report.rejet_implicite is not None and report.rejet_implicite <= today
            )
            if report.gracieux_interruptif and rejected:
                stage.conseilles.append("requete")
            lines.append(
                f"Requête au tribunal administratif : à enregistrer au plus tard le "
                f"{date_avec_jour(contentieux.date_limite)} — {deadline_status(contentieux)}"
            )
        else:
            lines.append(
                f"Requête au tribunal administratif : délai EXPIRÉ le "
                f"{date_avec_jour(contentieux.date_limite)}."
            )
            if report.possibilites:
                lines.append("Ce qui reste possible :")
                lines += [f"- {' '.join(text.split())}" for text in report.possibilites]
        stage.avertissements = [" ".join(w.split()) for w in report.avertissements]
        found = next_deadline(report)
        stage.prochaine_echeance = found.date_limite if found is not None else None
        stages.append(stage)
    return DossierStage(stages)


def chosen_documents(dossier: Dossier) -> list[str] | None:
    """``documents`` for :func:`recours.documents.generate.generate` from the choices saved
    per decision (``Decision.documents``): None when no decision has one (the tool's plan).

    Until generation reads ``Decision.documents`` itself, the kinds chosen for any decision
    are generated for the whole dossier.
    """
    chosen = [d.documents for d in dossier.decisions if d.documents is not None]
    if not chosen:
        return None
    return [k for k in ("gracieux", "requete") if any(k in c for c in chosen)]
