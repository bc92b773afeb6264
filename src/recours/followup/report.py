"""`recours suivi`: the follow-up of one dossier or a folder of dossiers, as text, JSON or
one calendar (.ics) for all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from recours.followup.agenda import (
    A_ECHEANCE,
    A_VENIR,
    EN_ATTENTE,
    EN_RETARD,
    Item,
    dossier_items,
    sort_items,
)
from recours.followup.scan import dossier_paths, load_all
from recours.formatting import date_courte, date_longue

TITRES = {
    EN_RETARD: "En retard",
    A_ECHEANCE: "À échéance dans les {jours} jours",
    EN_ATTENTE: "En attente",
    A_VENIR: "Plus tard",
}


@dataclass
class FollowUp:
    aujourdhui: date
    jours: int
    dossiers: int = 0
    items: list[Item] = field(default_factory=list)
    problemes: list[tuple[str, str]] = field(default_factory=list)  # (file, message)


def follow_up(target: Path, today: date, days: int, cache_path: Path | None = None) -> FollowUp:
    """Every open step of the dossiers of `target` (a file or a folder), sorted.

    `cache_path`: the SQLite cache of validated dossiers (None: every file is read).
    """
    result = FollowUp(today, days)
    items: list[Item] = []
    for loaded in load_all(dossier_paths(target), cache_path):
        shown = str(loaded.path)
        if loaded.dossier is None:
            result.problemes.append((shown, loaded.probleme or ""))
            continue
        result.dossiers += 1
        items += dossier_items(loaded.dossier, shown, today, days)
    result.items = sort_items(items)
    return result


def _when(item: Item) -> str:
    if item.jours == 0:
        return "aujourd'hui"
    if item.jours > 0:
        return f"dans {item.jours} jour(s)"
    return f"il y a {-item.jours} jour(s)"


def follow_up_text(result: FollowUp, tout: bool = False) -> str:
    """Sections « En retard », « À échéance… », « En attente » (and « Plus tard » with tout)."""
    lines = [
        f"Suivi au {date_longue(result.aujourdhui)} : {result.dossiers} dossier(s), "
        f"{len(result.items)} étape(s) ouverte(s)."
    ]
    later = [i for i in result.items if i.etat == A_VENIR]
    for etat in (EN_RETARD, A_ECHEANCE, EN_ATTENTE, A_VENIR):
        if etat == A_VENIR and not tout:
            continue
        chosen = [i for i in result.items if i.etat == etat]
        if not chosen:
            continue
        lines += ["", f"{TITRES[etat].format(jours=result.jours)} ({len(chosen)}) :"]
        for item in chosen:
            lines.append(
                f"  {date_courte(item.date)} ({_when(item)}) · {item.organisme} · {item.autorite}"
            )
            lines.append(f"    Établissement(s) : {', '.join(item.etablissements)}")
            lines.append(f"    {item.action}")
            if item.commande:
                lines.append(f"    → {item.commande}")
            lines.append(f"    Dossier : {item.dossier}")
    if later and not tout:
        lines += [
            "",
            f"{len(later)} autre(s) échéance(s) au-delà de {result.jours} jours (--tout pour les "
            "afficher).",
        ]
    if not result.items:
        lines += ["", "Aucune étape ouverte."]
    if result.problemes:
        lines += ["", f"Dossiers non suivis ({len(result.problemes)}) :"]
        lines += [f"  {name} : {message}" for name, message in result.problemes]
    return "\n".join(lines)


def follow_up_json(result: FollowUp) -> dict[str, Any]:
    return {
        "aujourdhui": result.aujourdhui.isoformat(),
        "jours": result.jours,
        "dossiers": result.dossiers,
        "etapes": [item.to_json() for item in result.items],
        "problemes": [{"dossier": name, "message": msg} for name, msg in result.problemes],
    }


_SUMMARIES = {
    "gracieux": "Dernier jour pour envoyer le recours gracieux",
    "reponse": "Rejet implicite du recours gracieux si l'autorité n'a pas répondu",
    "requete": "Dernier jour pour déposer la requête au tribunal",
}


def follow_up_ics(result: FollowUp) -> bytes:
    """One calendar for every dated step still ahead (overdue ones are left out), with
    stable UIDs: importing it again next Monday updates the events."""
    from recours.documents.calendar_export import events_to_ics

    events = []
    for item in result.items:
        if item.etat == EN_RETARD or item.etape not in _SUMMARIES:
            continue
        summary = f"{_SUMMARIES[item.etape]} — {item.organisme} — {item.autorite}"
        description = "\n".join(
            [
                item.action,
                f"Association : {item.organisme}",
                f"Établissement(s) : {', '.join(item.etablissements)}",
                f"Autorité : {item.autorite}",
                f"Décision(s) : {', '.join(item.decisions)}",
                *([f"Commande : {item.commande}"] if item.commande else []),
            ]
        )
        events.append((item.date, summary, description, item.cle))
    return events_to_ics(events, result.aujourdhui)
