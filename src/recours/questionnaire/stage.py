"""Where each decision stands: its deadlines and the documents that still make sense.

The one entry point both front-ends (terminal and web) call for the procedural stage of a
dossier: :func:`dossier_stage`, worded from the dossier's legal analysis
(``recours.law.analysis``), which decides which documents are possible and advised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recours.law.analysis import OPTION_SANS_AVOCAT, RECOURS_HIERARCHIQUE, Analysis

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


def dossier_stage(analysis: Analysis) -> DossierStage:
    """Deadlines of every decision and the documents each one allows, from the analysis.

    A document is "possible" when nothing holds it back but the lawyer question (which the
    user settles with --sans-avocat or an avocat); it is "advised" when it is in the
    analysis's plan for this stage.
    """
    from recours.cli.report import deadline_status
    from recours.formatting import date_avec_jour, date_longue
    from recours.law.deadlines import STATUTS_OUVERTS, next_deadline
    from recours.law.referentiel import load_referentiel

    ref = load_referentiel()
    today = analysis.aujourdhui
    advised = analysis.plan()
    stages: list[DecisionStage] = []
    for d in analysis.decisions:
        dec, report = d.decision, d.delais
        gracieux, contentieux = report.recours_gracieux, report.recours_contentieux
        stage = DecisionStage(
            d.index,
            f"Décision {d.index + 1} : {ref.natures_decision[dec.nature].libelle} de "
            f"{d.autorite.nom}, notifiée le {date_longue(dec.date_notification)}",
        )
        for doc in analysis.documents:
            if d.index not in doc.decisions:
                continue
            if doc.kind == RECOURS_HIERARCHIQUE and not doc.par_defaut:
                # Drafted on request only: why it is held back matters once it is asked for.
                if not doc.refus([OPTION_SANS_AVOCAT]):
                    stage.possibles.append(doc.kind)
                continue
            if not doc.refus([OPTION_SANS_AVOCAT]):
                stage.possibles.append(doc.kind)
            if doc in advised:
                stage.conseilles.append(doc.kind)
            stage.avertissements += [" ".join(b.texte.split()) for b in doc.refus()]
        lines = stage.lignes
        if dec.recours_gracieux is None:
            if gracieux.statut in STATUTS_OUVERTS:
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
                born = "né" if report.rejet_implicite <= today else "naîtra"
                lines.append(
                    f"Rejet implicite (silence de l'autorité) {born} le "
                    f"{date_avec_jour(report.rejet_implicite)}."
                )
        if contentieux.statut in STATUTS_OUVERTS:
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
        stage.possibles = list(dict.fromkeys(stage.possibles))
        stage.conseilles = list(dict.fromkeys(stage.conseilles))
        stage.avertissements = list(
            dict.fromkeys(
                [*stage.avertissements, *(" ".join(w.split()) for w in report.avertissements)]
            )
        )
        found = next_deadline(report)
        stage.prochaine_echeance = found.date_limite if found is not None else None
        stages.append(stage)
    return DossierStage(stages)
