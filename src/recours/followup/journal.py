"""`recours suivi noter`: record what happened in the dossier file itself.

One source of truth per fact: what the dossier model already holds is written in its
field (sending and receipt of the recours gracieux, acknowledgment, explicit rejection in
decisions[]); the other events go to the `journal` list. The new content is validated by
the same model as any dossier, then written atomically. The file is rewritten from its
data: YAML comments and layout are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recours.dossier.models import Dossier
from recours.errors import UsageError
from recours.files import atomic_write_text
from recours.formatting import date_longue


@dataclass
class Note:
    """What to record: the kind of event and its values (None: not given)."""

    evenement: str  # envoi | accuse | reponse | requete | jugement | paiement
    date: date
    autorite: str | None = None
    decision: str | None = None
    mode: str | None = None
    numero_lrar: str | None = None
    conforme: bool | None = None
    sens: str | None = None
    montant: Decimal | None = None
    juridiction: str | None = None
    numero: str | None = None
    note: str | None = None
    written: list[str] = field(default_factory=list)  # what was written, for the CLI


EVENEMENTS = ("envoi", "accuse", "reponse", "requete", "jugement", "paiement")
_OPTIONS: dict[str, tuple[str, ...]] = {
    "envoi": ("autorite", "decision", "mode", "numero_lrar", "note"),
    "accuse": ("autorite", "decision", "conforme"),
    "reponse": ("autorite", "decision", "sens", "montant", "note"),
    "requete": ("decision", "juridiction", "numero", "note"),
    "jugement": ("decision", "sens", "montant", "numero", "note"),
    "paiement": ("autorite", "montant", "note"),
}
_OPTION_NAMES = {
    "autorite": "--autorite",
    "decision": "--decision",
    "mode": "--mode",
    "numero_lrar": "--numero-lrar",
    "conforme": "--conforme/--non-conforme",
    "sens": "--sens",
    "montant": "--montant",
    "juridiction": "--juridiction",
    "numero": "--numero",
    "note": "--note",
}


_JUDGMENTS = ("favorable", "partiellement_favorable", "defavorable")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "reponse": ("sens",),
    "jugement": ("sens",),
    "paiement": ("montant",),
}


def _check_options(note: Note) -> None:
    missing = [n for n in _REQUIRED.get(note.evenement, ()) if getattr(note, n) is None]
    if missing:
        raise UsageError(
            f"{', '.join(_OPTION_NAMES[n] for n in missing)} : obligatoire pour l'événement "
            f"« {note.evenement} »"
        )
    senses = {"reponse": ("acceptee", "partielle", "rejetee"), "jugement": _JUDGMENTS}
    if (
        note.sens is not None
        and note.evenement in senses
        and note.sens not in senses[note.evenement]
    ):
        raise UsageError(
            f"--sens : pour l'événement « {note.evenement} », valeurs possibles : "
            + ", ".join(senses[note.evenement])
        )
    allowed = _OPTIONS[note.evenement]
    extra = [n for n in _OPTION_NAMES if n not in allowed and getattr(note, n) is not None]
    if extra:
        raise UsageError(
            f"{', '.join(_OPTION_NAMES[n] for n in extra)} : sans objet pour l'événement "
            f"« {note.evenement} »"
        )


def _authority(dossier: Dossier, wanted: str | None) -> str:
    ids = [a.id for a in dossier.autorites]
    if wanted is None:
        if len(ids) == 1:
            return ids[0]
        raise UsageError(
            f"--autorite : plusieurs autorités dans ce dossier, précisez : {', '.join(ids)}"
        )
    if wanted not in ids:
        raise UsageError(
            f"--autorite : autorité inconnue « {wanted} » ; autorités : {', '.join(ids)}"
        )
    return wanted


def _decision(dossier: Dossier, wanted: str | None) -> int:
    ids = [dossier.decision_id(i) for i in range(len(dossier.decisions))]
    if wanted is None:
        if len(ids) == 1:
            return 0
        raise UsageError(
            f"--decision : plusieurs décisions dans ce dossier, précisez : {', '.join(ids)}"
        )
    if wanted not in ids:
        raise UsageError(
            f"--decision : décision inconnue « {wanted} » ; décisions : {', '.join(ids)}"
        )
    return ids.index(wanted)


def _targets(dossier: Dossier, note: Note, sent: bool) -> list[int]:
    """Indexes of the decisions the event concerns (all those of the authority)."""
    if note.decision is not None:
        indexes = [_decision(dossier, note.decision)]
        note.autorite = note.autorite or dossier.decisions[indexes[0]].autorite
    else:
        autorite = _authority(dossier, note.autorite)
        note.autorite = autorite
        indexes = [i for i, d in enumerate(dossier.decisions) if d.autorite == autorite]
    if sent:
        missing = [
            dossier.decision_id(i) for i in indexes if dossier.decisions[i].recours_gracieux is None
        ]
        if missing:
            raise UsageError(
                f"aucun recours gracieux noté pour : {', '.join(missing)} ; notez d'abord l'envoi "
                "(recours suivi noter DOSSIER envoi …)"
            )
    return indexes


def _event(note: Note, kind: str, **values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind}
    for key, value in values.items():
        if value is not None:
            out[key] = value.isoformat() if isinstance(value, date) else str(value)
    if note.note:
        out["note"] = note.note
    return out


def apply_note(data: dict[str, Any], dossier: Dossier, note: Note) -> dict[str, Any]:
    """The dossier data with the event recorded (not yet validated)."""
    _check_options(note)
    decisions: list[dict[str, Any]] = data["decisions"]
    journal: list[dict[str, Any]] = list(data.get("journal") or [])
    day = note.date.isoformat()
    if note.evenement == "envoi":
        indexes = _targets(dossier, note, sent=False)
        if any(e.type == "envoi" and e.autorite == note.autorite for e in dossier.journal):
            raise UsageError(
                f"envoi à « {note.autorite} » déjà noté dans le journal ; corrigez le dossier si "
                "c'est une erreur"
            )
        for i in indexes:
            current = dossier.decisions[i].recours_gracieux
            if current is not None and current.date_envoi != note.date:
                raise UsageError(
                    f"{dossier.decision_id(i)} : recours gracieux déjà noté comme envoyé le "
                    f"{date_longue(current.date_envoi)} ; corrigez le dossier si c'est une erreur"
                )
            decisions[i]["recours_gracieux"] = {
                **(decisions[i].get("recours_gracieux") or {}),
                "date_envoi": day,
            }
            note.written.append(f"decisions[{i}].recours_gracieux.date_envoi = {day}")
        journal.append(
            _event(
                note, "envoi", autorite=note.autorite, mode=note.mode, numero_lrar=note.numero_lrar
            )
        )
    elif note.evenement == "accuse":
        for i in _targets(dossier, note, sent=True):
            entry = dict(decisions[i]["recours_gracieux"])
            entry["date_reception"] = day
            note.written.append(f"decisions[{i}].recours_gracieux.date_reception = {day}")
            if note.conforme is not None:
                entry["accuse_reception_conforme"] = note.conforme
                note.written.append(
                    f"decisions[{i}].recours_gracieux.accuse_reception_conforme = "
                    + ("oui" if note.conforme else "non")
                )
            decisions[i]["recours_gracieux"] = entry
        return {**data, "decisions": decisions}
    elif note.evenement == "reponse":
        indexes = _targets(dossier, note, sent=True)
        if note.sens == "rejetee":
            if note.montant is not None:
                raise UsageError("--montant : sans objet pour un rejet")
            for i in indexes:
                decisions[i]["rejet_explicite"] = {"date_notification": day}
                note.written.append(f"decisions[{i}].rejet_explicite.date_notification = {day}")
            return {**data, "decisions": decisions}
        journal.append(
            _event(
                note,
                "reponse",
                date=note.date,
                autorite=note.autorite,
                sens=note.sens,
                montant=note.montant,
            )
        )
    elif note.evenement in ("requete", "jugement"):
        # A requête indemnitaire follows a demande, named demande-indemnitaire-N.
        claims = [dossier.demande_id(i) for i in range(len(dossier.demandes_indemnitaires))]
        claim = claims.index(note.decision) if note.decision in claims else None
        index = _decision(dossier, note.decision) if claim is None else 0
        ident = dossier.decision_id(index) if claim is None else claims[claim]
        if note.evenement == "requete":
            juridiction = note.juridiction
            if juridiction is None and claim is not None:
                from recours.law.procedure import indemnity_court

                autorite = dossier.demandes_indemnitaires[claim].autorite
                funded = {
                    e.finess
                    for e in dossier.etablissements
                    if any(f.autorite == autorite for f in e.financeurs)
                }
                juridiction = indemnity_court(dossier, autorite, funded).nom
            elif juridiction is None:
                from recours.law.procedure import competent_court

                juridiction = competent_court(dossier, dossier.decisions[index]).nom
            journal.append(
                _event(
                    note,
                    "requete_deposee",
                    date=note.date,
                    decision=ident,
                    juridiction=juridiction,
                    numero=note.numero,
                )
            )
        else:
            journal.append(
                _event(
                    note,
                    "jugement",
                    date=note.date,
                    decision=ident,
                    sens=note.sens,
                    montant=note.montant,
                    numero=note.numero,
                )
            )
    elif note.evenement == "paiement":
        autorite = _authority(dossier, note.autorite)
        journal.append(
            _event(note, "paiement", date=note.date, autorite=autorite, montant=note.montant)
        )
    else:  # pragma: no cover - the CLI offers only the known kinds
        raise UsageError(f"événement inconnu « {note.evenement} »")
    note.written.append(f"journal[{len(journal) - 1}] : {journal[-1]['type']}")
    return {**data, "decisions": decisions, "journal": journal}


def record(path: Path, note: Note) -> Dossier:
    """Record `note` in the dossier file `path`; return the validated new dossier."""
    import yaml

    from recours.dossier.validation import read_dossier_file, validate_dossier

    data, lines = read_dossier_file(path)
    dossier = validate_dossier(data, str(path), lines)
    assert isinstance(data, dict)
    new = apply_note(data, dossier, note)
    validated = validate_dossier(new, str(path))
    if path.suffix.lower() == ".json":
        text = json.dumps(new, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(path, text, force=True)
    return validated
