"""Spreadsheet columns of a batch (`recours lot`): generated from the dossier models.

One row is one établissement, with its organisme's columns repeated, two funding
authorities (with their share, the decision they took and the recours gracieux already
sent) and one group of columns per exercise. This module is the only place that defines
the columns: the reader, the error locations and the empty workbook (`recours lot
modele`) all use :data:`COLUMNS`.

Each column has a key, a dotted path into a *row record*::

    dossier.reference, organisme.siege.code_postal, avocat.nom, etablissement.finess,
    autorite1.nom, autorite1.part, decision1.recours_gracieux.date_envoi,
    exercice2024.etp, exercice2024.recu1

`lot_dossier` turns the row records of one organisme into the dossier dict that a YAML
file would give.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from recours.dossier import models

Kind = Literal["texte", "identifiant", "nombre", "entier", "date", "oui_non", "choix", "liste"]

AUTHORITY_SLOTS = (1, 2)
"""Two authorities per établissement: enough for every co-funded category (ARS + département)."""

LAST_EXERCISE = 2028
EXERCISES = tuple(range(2024, LAST_EXERCISE + 1))
"""Exercises offered as column groups: the accord applies from 2024 (the referential's
date_effet, checked by a test); a few years ahead so that next year's workbooks still fit.
Empty exercise columns are simply ignored."""

ID_WIDTHS = {"finess": 9, "siren": 9, "siret": 14, "code_postal": 5, "departement": 2}
"""Identifiers that Excel turns into numbers: their width, to restore lost leading zeros."""

LIST_SEPARATOR = ";"

# Short French labels of the model fields, for the headers (the description goes in the
# header's comment and the instructions sheet).
LABELS: dict[str, str] = {
    "reference": "référence",
    "lieu_signature": "lieu de signature",
    "date_document": "date des documents",
    "faits_complementaires": "faits complémentaires",
    "pieces_complementaires": "pièces complémentaires",
    "raison_sociale": "raison sociale",
    "forme_juridique": "forme juridique",
    "siren": "SIREN",
    "siret": "SIRET",
    "rna": "RNA",
    "siege": "siège",
    "voie": "voie",
    "complement": "complément",
    "code_postal": "code postal",
    "commune": "commune",
    "representant_legal": "représentant légal",
    "civilite": "civilité",
    "nom": "nom",
    "qualite": "qualité",
    "signataire": "signataire",
    "delegation": "délégation",
    "contact": "contact",
    "telephone": "téléphone",
    "courriel": "courriel",
    "barreau": "barreau",
    "adresse": "adresse",
    "toque": "toque",
    "finess": "FINESS",
    "categorie": "catégorie",
    "departement": "département",
    "regime_budgetaire": "régime budgétaire",
    "methode": "méthode",
    "coefficient_charges": "coefficient de charges",
    "id": "identifiant",
    "type": "type",
    "civilite_titulaire": "civilité du titulaire",
    "service": "service",
    "part": "part (%)",
    "nature": "nature",
    "numero": "numéro",
    "date": "date",
    "date_notification": "date de notification",
    "objet": "objet",
    "voies_et_delais_mentionnes": "voies et délais mentionnés",
    "recours_gracieux": "recours gracieux",
    "date_envoi": "date d'envoi",
    "date_reception": "date de réception",
    "accuse_reception_conforme": "accusé de réception conforme",
    "rejet_explicite": "rejet explicite",
    "mois": "mois",
    "etp": "ETP",
    "cout_reel": "coût réel (€)",
    "decision": "décision",
    "payeur": "payeur",
    "payeur_adresse": "adresse du payeur",
}

# Fields that are not one cell: lists and dicts are built from several columns, and the
# links between records (decision -> établissements) come from the row structure.
_SKIPPED: dict[type[BaseModel], set[str]] = {
    models.Dossier: {
        "schema_",
        "organisme",
        "autorites",
        "etablissements",
        "decisions",
        "avocat",
        "journal",
        # Lists of records (issue 11): their own column groups (see columns()).
        "demandes_indemnitaires",
        "mises_en_demeure",
        "financements_notifies",
    },
    models.Etablissement: {"financeurs", "exercices"},
    models.Exercice: {"annee", "financement_recu"},
    # documents: the batch chooses them with `recours lot generer --documents`.
    # recours_hierarchique (issue 11): not in the workbook yet.
    models.Decision: {
        "id",
        "autorite",
        "etablissements",
        "faits",
        "fichier",
        "documents",
        "recours_hierarchique",
    },
    # 69D / 69M: not in the workbook yet (its layout is shared with federations); a row in
    # département 69 gets the « indiquez collectivite » warning.
    models.Autorite: {"collectivite"},
    # Pièce files are for the Télérecours folder of one dossier, not for batch letters.
    models.Organisme: {"fichier_statuts", "fichier_pouvoir"},
    models.RecoursGracieuxEnvoye: {"fichier", "fichier_avis_reception"},
    models.RejetExplicite: {"fichier"},
}


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: where its value goes, its French header, how to read it."""

    key: str
    header: str
    kind: Kind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # French labels of the choices, in the same order
    width: int | None = None  # identifiers: restore leading zeros up to this width
    example: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def shown_choices(self) -> tuple[str, ...]:
        """What the workbook's choice list offers: the French labels (else the keys)."""
        return self.labels or self.choices

    def choice_key(self, text: str) -> str | None:
        """The key of a typed choice: a key itself, or a label whatever its case and
        spacing; None if it is neither."""
        if text in self.choices:
            return text
        wanted = normalize_header(text)
        for key, label in zip(self.choices, self.labels, strict=False):
            if normalize_header(label) == wanted or normalize_header(key) == wanted:
                return key
        return None

    @property
    def text_format(self) -> bool:
        """Formatted as text in the workbook, so that leading zeros survive."""
        return self.kind == "identifiant"


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an Optional / Union annotation (Annotated stripped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out += _unwrap(arg)
        return out
    return [annotation]


def _kind(name: str, annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    if name in ID_WIDTHS or name == "rna":
        return "identifiant", ()
    (base,) = _unwrap(annotation)[:1] or [str]
    if typing.get_origin(base) is Literal:
        return "choix", tuple(str(a) for a in typing.get_args(base))
    if typing.get_origin(base) is list:
        return "liste", ()
    if base is dt.date:
        return "date", ()
    if base is bool:
        return "oui_non", ("oui", "non")
    if base is Decimal:
        return "nombre", ()
    if base is int:
        return "entier", ()
    return "texte", ()


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for alt in _unwrap(annotation):
        if isinstance(alt, type) and issubclass(alt, BaseModel):
            return alt
    return None


def _walk(
    model: type[BaseModel],
    key: str,
    header: str,
    required: bool,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Column]:
    columns: list[Column] = []
    skipped = skip | _SKIPPED.get(model, set())
    for name, info in model.model_fields.items():
        if name in skipped:
            continue
        label = LABELS.get(name, name.replace("_", " "))
        sub_key = f"{key}.{name}" if key else name
        sub_header = f"{header} — {label}"
        sub_required = required and info.is_required()
        nested = _model_of(info.annotation)
        if nested is not None:
            columns += _walk(nested, sub_key, sub_header, sub_required)
            continue
        kind, choices = _kind(name, info.annotation)
        columns.append(
            Column(
                key=sub_key,
                header=sub_header,
                kind=kind,
                description=info.description or label,
                required=sub_required,
                choices=choices,
                width=ID_WIDTHS.get(name) if kind == "identifiant" else None,
                example=str(info.examples[0]) if info.examples else None,
            )
        )
    return columns


def _categorie_choices() -> tuple[str, ...]:
    from recours.law.referentiel import load_referentiel

    return tuple(load_referentiel().categories)


METHOD_LABELS = {
    "etp": "ETP × coefficient de charges saisi",
    "cout_unitaire": "Coût unitaire DGCS",
    "cout_reel": "Coût réel (paie)",
}


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _labels(col: Column) -> Column:
    """French labels for the choice lists (the referential's, so a lawyer edits them once)."""
    from recours.law.referentiel import load_referentiel

    if col.kind != "choix":
        return col
    ref = load_referentiel()
    field_name = col.key.rsplit(".", 1)[-1]
    by_field: dict[str, dict[str, str]] = {
        "categorie": {k: v.libelle for k, v in ref.categories.items()},
        "type": {str(k): v.libelle for k, v in ref.autorites.items()},
        "regime_budgetaire": {str(k): v.libelle for k, v in ref.regimes.items()},
        "nature": {str(k): _capitalized(v.libelle) for k, v in ref.natures_decision.items()},
        "methode": METHOD_LABELS,
    }
    known = by_field.get(field_name)
    if known is None:
        return col
    labels = [known.get(key, key) for key in col.choices]
    if len(set(labels)) != len(labels):  # pragma: no cover - the referential's labels differ
        labels = [f"{label} ({key})" for label, key in zip(labels, col.choices, strict=True)]
    return replace(col, labels=tuple(labels))


@functools.cache
def columns() -> tuple[Column, ...]:
    """Every column, in workbook order."""
    cols: list[Column] = []
    cols += _walk(models.Organisme, "organisme", "Organisme", True)
    cols += _walk(models.Dossier, "dossier", "Dossier", True)
    cols += _walk(models.Avocat, "avocat", "Avocat", False)
    for col in _walk(models.Etablissement, "etablissement", "Établissement", True):
        if col.key == "etablissement.categorie":
            col = replace(col, kind="choix", choices=_categorie_choices())
        cols.append(col)
    for slot in AUTHORITY_SLOTS:
        head = f"Autorité {slot}"
        required = slot == 1
        for col in _walk(models.Autorite, f"autorite{slot}", head, required):
            if col.key.endswith(".id"):
                col = replace(
                    col,
                    required=False,
                    description="Identifiant court (ex. ars-idf) ; par défaut, tiré du nom",
                )
            cols.append(col)
        cols += _walk(models.PartFinancement, f"autorite{slot}", head, False, {"autorite"})
        cols += _walk(models.Decision, f"decision{slot}", f"{head} — décision", required)
    cols = [_labels(c) for c in cols]
    for year in EXERCISES:
        cols += _walk(models.Exercice, f"exercice{year}", f"Exercice {year}", False)
        for slot in AUTHORITY_SLOTS:
            cols.append(
                Column(
                    key=f"exercice{year}.recu{slot}",
                    header=f"Exercice {year} — reçu de l'autorité {slot} (€)",
                    kind="nombre",
                    description=f"Financement reçu de l'autorité {slot} pour la mesure en {year}, en euros",
                )
            )
    # Issue 11 routes, after every earlier column (the letters of existing workbooks stay).
    cols += _route_columns()
    return tuple(cols)


NOTIFIED_FIELDS = ("notifie", "notifie_date", "notifie_reference", "verse", "verse_date")
"""Per exercise and authority: the funding notified for the measure and what was paid."""


def notified_key(year: int, slot: int, name: str) -> str:
    """``exercice2026.notifie1``, ``exercice2026.notifie1_date``, ``exercice2026.verse1``…"""
    base, _, tail = name.partition("_")
    return f"exercice{year}.{base}{slot}" + (f"_{tail}" if tail else "")


def _route_columns() -> list[Column]:
    """Demandes indemnitaires and mises en demeure already sent (per authority of the row:
    one organisme × authority record, rows with the same cells give one), the payer of the
    funding an authority notified (per établissement), and the notified funding itself (per
    établissement × exercise)."""
    cols: list[Column] = []
    for slot in AUTHORITY_SLOTS:
        cols += _walk(
            models.DemandeIndemnitaire,
            f"demande{slot}",
            f"Autorité {slot} — demande indemnitaire envoyée",
            False,
            {"autorite"},
        )
    for slot in AUTHORITY_SLOTS:
        cols += _walk(
            models.MiseEnDemeure,
            f"mise_en_demeure{slot}",
            f"Autorité {slot} — mise en demeure envoyée",
            False,
            {"autorite"},
        )
    for slot in AUTHORITY_SLOTS:
        cols += _walk(
            models.FinancementNotifie,
            f"financement{slot}",
            f"Autorité {slot} — financement notifié",
            False,
            {
                "autorite", "etablissement", "exercice", "date_notification", "montant_notifie",
                "versements", "reference",
            },
        )  # fmt: skip
    for year in EXERCISES:
        for slot in AUTHORITY_SLOTS:
            notified = f"Exercice {year} — notifié par l'autorité {slot}"
            paid = f"Exercice {year} — versé sur le notifié de l'autorité {slot}"
            specs: dict[str, tuple[str, Kind, str]] = {
                "notifie": (
                    f"{notified} (€)",
                    "nombre",
                    f"Montant du financement de la mesure notifié par l'autorité {slot} pour "
                    f"{year}, en euros (s'il n'est pas entièrement versé, une mise en demeure "
                    "de payer est préparée)",
                ),
                "notifie_date": (
                    f"{notified} — date de notification",
                    "date",
                    "Date de notification de ce financement",
                ),
                "notifie_reference": (
                    f"{notified} — référence",
                    "texte",
                    "Référence de la notification (numéro de l'arrêté, du courrier)",
                ),
                "verse": (
                    f"{paid} (€)",
                    "nombre",
                    "Montant déjà versé au titre de ce financement notifié, en euros "
                    "(vide : rien n'a été versé)",
                ),
                "verse_date": (
                    f"{paid} — date",
                    "date",
                    "Date du dernier versement reçu au titre de ce financement notifié",
                ),
            }
            for name in NOTIFIED_FIELDS:
                header, kind, description = specs[name]
                cols.append(
                    Column(
                        key=notified_key(year, slot, name),
                        header=header,
                        kind=kind,
                        description=description,
                    )
                )
    return [_labels(c) for c in cols]


@functools.cache
def by_key() -> dict[str, Column]:
    return {c.key: c for c in columns()}


def normalize_header(text: str) -> str:
    """Headers match whatever the case, accents, dashes and spacing."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9%()']+", " ", ascii_text.lower()).strip()


@functools.cache
def by_header() -> dict[str, Column]:
    return {normalize_header(c.header): c for c in columns()}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
