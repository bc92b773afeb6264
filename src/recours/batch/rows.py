"""From the rows of one organisme to a validated dossier, and from errors back to cells.

Rows become the dossier dict a YAML file would give, validated by the same
`validate_dossier`: one letter per authority follows from the dossier itself (the
documents engine writes a recours gracieux per authority). Each row is first validated
alone, so that one bad établissement does not stop the others of its organisme; then
the good rows are validated together (duplicate FINESS, authorities described twice...).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recours.batch.columns import (
    AUTHORITY_SLOTS,
    EXERCISES,
    LIST_SEPARATOR,
    NOTIFIED_FIELDS,
    by_key,
    columns,
    notified_key,
)
from recours.batch.input import RawRow
from recours.dossier.models import Dossier
from recours.dossier.paths import Loc, parse_path
from recours.dossier.validation import validate_dossier
from recours.errors import DossierInvalidError, FieldProblem
from recours.files import slug

_SHARED_ROOTS = ("organisme", "dossier", "avocat")
_CONTAINER_COLUMNS = {
    "autorites": "autorite1.nom",
    "decisions": "decision1.nature",
    "etablissements": "etablissement.nom",
}


@dataclass(frozen=True)
class CellProblem:
    """A problem located in the spreadsheet: row number, column key (None: whole row)."""

    row: int
    column: str | None
    message: str


@dataclass
class Built:
    """A dossier dict assembled from rows, and where each of its parts came from."""

    data: dict[str, Any]
    first_row: int
    etab_rows: list[int] = field(default_factory=list)
    etab_years: list[list[int]] = field(default_factory=list)
    etab_slots: list[dict[str, int]] = field(default_factory=list)  # authority id -> slot
    fin_slots: list[list[int]] = field(default_factory=list)
    auth_origin: list[tuple[int, int]] = field(default_factory=list)  # (row, slot)
    dec_origin: list[tuple[int, int]] = field(default_factory=list)
    # Issue 11 records: demandes indemnitaires and mises en demeure (row, slot), notified
    # funding (row, exercise, slot).
    dem_origin: list[tuple[int, int]] = field(default_factory=list)
    med_origin: list[tuple[int, int]] = field(default_factory=list)
    fin_origin: list[tuple[int, int, int]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _tree(values: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    kinds = by_key()
    for key, value in values.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        column = kinds.get(key)
        if column is not None and column.kind == "liste":
            # "2025 ; 2026" -> ["2025", "2026"].
            node[leaf] = [v.strip() for v in str(value).split(LIST_SEPARATOR) if v.strip()]
        else:
            node[leaf] = value
    return tree


def _authority_id(autorite: dict[str, Any], slot: int) -> str:
    if autorite.get("id"):
        return str(autorite["id"])
    if autorite.get("nom"):
        return slug(str(autorite["nom"]), 60)
    return f"autorite-{slot}"


def _first_difference(a: dict[str, str], b: dict[str, str], prefix: str) -> str | None:
    for col in columns():
        if col.key.startswith(prefix) and a.get(col.key) != b.get(col.key):
            return col.key
    return None


def assemble(rows: Sequence[RawRow]) -> Built:
    """The dossier dict of rows sharing one organisme (rows keep their order)."""
    first = rows[0]
    base = _tree(first.values)
    data: dict[str, Any] = dict(base.get("dossier", {}))
    data["organisme"] = base.get("organisme", {})
    if "avocat" in base:
        data["avocat"] = base["avocat"]
    built = Built(data=data, first_row=first.number)
    autorites: dict[str, tuple[dict[str, Any], int, int]] = {}
    decisions: dict[str, dict[str, Any]] = {}
    sent: dict[str, dict[str, dict[str, Any]]] = {
        "demandes_indemnitaires": {},
        "mises_en_demeure": {},
    }
    notified: list[dict[str, Any]] = []
    etablissements: list[dict[str, Any]] = []
    finess_rows: dict[str, int] = {}
    for row in rows:
        for root in _SHARED_ROOTS:
            key = _first_difference(row.values, first.values, root + ".")
            if key is not None:
                built.problems.append(
                    CellProblem(
                        row.number,
                        key,
                        f"diffère de la ligne {first.number} pour le même organisme : les "
                        "colonnes de l'organisme doivent être identiques sur chaque ligne",
                    )
                )
        tree = _tree(row.values)
        etab: dict[str, Any] = tree.get("etablissement", {})
        finess = etab.get("finess")
        if finess is not None:
            if finess in finess_rows:
                built.problems.append(
                    CellProblem(
                        row.number,
                        "etablissement.finess",
                        f"FINESS {finess} déjà présent ligne {finess_rows[finess]} pour cet "
                        "organisme",
                    )
                )
            finess_rows.setdefault(finess, row.number)
        financeurs: list[dict[str, Any]] = []
        slots: dict[str, int] = {}
        fin_slots: list[int] = []
        for slot in AUTHORITY_SLOTS:
            autorite = dict(tree.get(f"autorite{slot}", {}))
            decision = tree.get(f"decision{slot}")
            if not autorite:
                if decision:
                    built.problems.append(
                        CellProblem(
                            row.number,
                            f"autorite{slot}.nom",
                            f"décision indiquée pour l'autorité {slot}, mais aucune autorité {slot}",
                        )
                    )
                continue
            part = autorite.pop("part", None)
            aid = _authority_id(autorite, slot)
            autorite["id"] = aid
            if aid in autorites:
                known, known_row, known_slot = autorites[aid]
                if known != autorite:
                    built.problems.append(
                        CellProblem(
                            row.number,
                            f"autorite{slot}.id",
                            f"l'autorité « {aid} » est décrite autrement ligne {known_row} "
                            f"(autorité {known_slot}) : mêmes colonnes attendues, ou un autre "
                            "identifiant",
                        )
                    )
            else:
                autorites[aid] = (autorite, row.number, slot)
                built.auth_origin.append((row.number, slot))
            financeurs.append({"autorite": aid} | ({"part": part} if part is not None else {}))
            slots[aid] = slot
            fin_slots.append(slot)
            if decision:
                decision = {"autorite": aid, **decision}
                dec_key = json.dumps(decision, sort_keys=True)
                if dec_key not in decisions:
                    decisions[dec_key] = {**decision, "etablissements": []}
                    built.dec_origin.append((row.number, slot))
                if finess is not None:
                    decisions[dec_key]["etablissements"].append(finess)
        etab["financeurs"] = financeurs
        _sent_records(tree, row.number, slots, built, sent)
        exercices: list[dict[str, Any]] = []
        years: list[int] = []
        for year in EXERCISES:
            values = dict(tree.get(f"exercice{year}", {}))
            _notified(values, tree, row.number, year, slots, finess, built, notified)
            if not values:
                continue
            exercice: dict[str, Any] = {"annee": str(year)}
            recu: dict[str, str] = {}
            for slot in AUTHORITY_SLOTS:
                amount = values.pop(f"recu{slot}", None)
                if amount is None:
                    continue
                owner = next((a for a, s in slots.items() if s == slot), None)
                if owner is None:
                    built.problems.append(
                        CellProblem(
                            row.number,
                            f"exercice{year}.recu{slot}",
                            f"montant reçu de l'autorité {slot}, mais aucune autorité {slot} "
                            "n'est indiquée sur la ligne",
                        )
                    )
                    continue
                recu[owner] = amount
            exercice.update(values)
            if recu:
                exercice["financement_recu"] = recu
            exercices.append(exercice)
            years.append(year)
        etab["exercices"] = exercices
        for slot in AUTHORITY_SLOTS:
            has_funding = any(r == row.number and s == slot for r, _, s in built.fin_origin)
            if tree.get(f"financement{slot}") and not has_funding:
                payeur = next(c.key for c in columns() if c.key.startswith(f"financement{slot}."))
                built.problems.append(
                    CellProblem(
                        row.number,
                        payeur,
                        f"payeur indiqué, mais aucun financement notifié par l'autorité {slot} "
                        "sur la ligne (colonnes « Exercice … — notifié par l'autorité "
                        f"{slot} »)",
                    )
                )
        etablissements.append(etab)
        built.etab_rows.append(row.number)
        built.etab_years.append(years)
        built.etab_slots.append(slots)
        built.fin_slots.append(fin_slots)
    data["autorites"] = [a for a, _, _ in autorites.values()]
    data["etablissements"] = etablissements
    data["decisions"] = list(decisions.values())
    for key, records in sent.items():
        if records:
            data[key] = list(records.values())
    if notified:
        data["financements_notifies"] = notified
    return built


# Column group of each record already sent, by dossier list (per authority of the row).
_SENT_GROUPS = {"demandes_indemnitaires": "demande", "mises_en_demeure": "mise_en_demeure"}


def _owner(slots: dict[str, int], slot: int) -> str | None:
    return next((a for a, s in slots.items() if s == slot), None)


def _sent_records(
    tree: dict[str, Any],
    number: int,
    slots: dict[str, int],
    built: Built,
    sent: dict[str, dict[str, dict[str, Any]]],
) -> None:
    """The demandes indemnitaires and mises en demeure of the row's authorities: one per
    organisme × authority and content (rows repeating the same cells give one)."""
    for key, group in _SENT_GROUPS.items():
        origin = built.dem_origin if key == "demandes_indemnitaires" else built.med_origin
        for slot in AUTHORITY_SLOTS:
            record = tree.get(f"{group}{slot}")
            if not record:
                continue
            owner = _owner(slots, slot)
            if owner is None:
                first = next(c.key for c in columns() if c.key.startswith(f"{group}{slot}."))
                built.problems.append(
                    CellProblem(
                        number,
                        first,
                        f"indiqué pour l'autorité {slot}, mais aucune autorité {slot} n'est "
                        "indiquée sur la ligne",
                    )
                )
                continue
            record = {"autorite": owner, **record}
            if key == "mises_en_demeure" and "payeur" not in record:
                payeur = tree.get(f"financement{slot}", {}).get("payeur")
                if payeur is not None:
                    record["payeur"] = payeur
            record_key = json.dumps(record, sort_keys=True)
            if record_key not in sent[key]:
                sent[key][record_key] = record
                origin.append((number, slot))


def _notified(
    values: dict[str, Any],
    tree: dict[str, Any],
    number: int,
    year: int,
    slots: dict[str, int],
    finess: Any,
    built: Built,
    notified: list[dict[str, Any]],
) -> None:
    """Take the notified-funding cells of one exercise out of ``values``: one
    financements_notifies record per authority that has some (per établissement × exercise)."""
    for slot in AUTHORITY_SLOTS:
        cells = {
            name: values.pop(notified_key(year, slot, name).split(".", 1)[1], None)
            for name in NOTIFIED_FIELDS
        }
        if all(v is None for v in cells.values()):
            continue
        owner = _owner(slots, slot)
        if owner is None:
            column = next(notified_key(year, slot, n) for n, v in cells.items() if v is not None)
            built.problems.append(
                CellProblem(
                    number,
                    column,
                    f"financement notifié par l'autorité {slot}, mais aucune autorité {slot} "
                    "n'est indiquée sur la ligne",
                )
            )
            continue
        record: dict[str, Any] = {"autorite": owner, "exercice": str(year)}
        if finess is not None:
            record["etablissement"] = finess
        for name, field_name in (
            ("notifie", "montant_notifie"),
            ("notifie_date", "date_notification"),
            ("notifie_reference", "reference"),
        ):
            if cells[name] is not None:
                record[field_name] = cells[name]
        if cells["verse"] is not None or cells["verse_date"] is not None:
            versement = {"montant": cells["verse"], "date": cells["verse_date"]}
            record["versements"] = [{k: v for k, v in versement.items() if v is not None}]
        record.update(tree.get(f"financement{slot}", {}))
        notified.append(record)
        built.fin_origin.append((number, year, slot))


def _dotted(prefix: str, rest: Sequence[str | int]) -> str:
    return ".".join([prefix, *(str(p) for p in rest)])


def _resolve(key: str | None) -> str | None:
    """The column of a field path: itself, else its first sub-column, else its parent's."""
    known = by_key()
    while key:
        if key in known:
            return key
        sub = next((k for k in known if k.startswith(key + ".")), None)
        if sub is not None:
            return sub
        key = key.rsplit(".", 1)[0] if "." in key else None
    return None


def _index(built_list: Sequence[Any], i: str | int) -> Any:
    return built_list[i] if isinstance(i, int) and i < len(built_list) else None


def locate(loc: Loc, built: Built) -> tuple[int, str | None]:
    """Row and column key of a dossier field path."""
    head = loc[0] if loc else None
    rest = loc[2:]
    row, key = built.first_row, None
    if head == "etablissements" and len(loc) >= 2 and _index(built.etab_rows, loc[1]) is not None:
        i = int(loc[1])
        row = built.etab_rows[i]
        if rest[:1] == ("exercices",) and len(rest) >= 2:
            year = _index(built.etab_years[i], rest[1])
            sub = rest[2:]
            if year is None:
                key = f"exercice{EXERCISES[0]}.etp"
            elif sub[:1] == ("financement_recu",) and len(sub) >= 2:
                key = f"exercice{year}.recu{built.etab_slots[i].get(str(sub[1]), 1)}"
            else:
                key = _dotted(f"exercice{year}", sub)
        elif rest == ("exercices",):
            key = f"exercice{EXERCISES[0]}.etp"
        elif rest[:1] == ("financeurs",) and len(rest) >= 2:
            slot = _index(built.fin_slots[i], rest[1]) or 1
            key = f"autorite{slot}.{'part' if rest[2:] == ('part',) else 'id'}"
        elif rest == ("financeurs",):
            key = "autorite1.part"
        else:
            key = _dotted("etablissement", rest)
    elif head == "autorites" and len(loc) >= 2 and _index(built.auth_origin, loc[1]) is not None:
        row, slot = built.auth_origin[int(loc[1])]
        key = _dotted(f"autorite{slot}", rest)
    elif head == "decisions" and len(loc) >= 2 and _index(built.dec_origin, loc[1]) is not None:
        row, slot = built.dec_origin[int(loc[1])]
        key = _dotted(f"decision{slot}", rest) if rest else f"decision{slot}.nature"
    elif head in ("demandes_indemnitaires", "mises_en_demeure") and len(loc) >= 2:
        origin = built.dem_origin if head == "demandes_indemnitaires" else built.med_origin
        if _index(origin, loc[1]) is not None:
            row, slot = origin[int(loc[1])]
            key = _dotted(f"{_SENT_GROUPS[head]}{slot}", rest) if rest else None
            key = key or f"{_SENT_GROUPS[head]}{slot}.date_envoi"
    elif head == "financements_notifies" and len(loc) >= 2:
        if _index(built.fin_origin, loc[1]) is not None:
            row, year, slot = built.fin_origin[int(loc[1])]
            key = _notified_column(year, slot, rest)
    elif head in ("organisme", "avocat"):
        key = _dotted(str(head), loc[1:])
    elif isinstance(head, str) and head in _CONTAINER_COLUMNS:
        key = _CONTAINER_COLUMNS[head]
    elif isinstance(head, str):
        key = f"dossier.{head}"
    return row, _resolve(key)


_NOTIFIED_COLUMNS = {
    "date_notification": "notifie_date",
    "reference": "notifie_reference",
}


def _notified_column(year: int, slot: int, rest: Loc) -> str:
    """The column of a field of a notified funding built from the row's cells."""
    name = rest[0] if rest else ""
    if name in ("payeur", "payeur_adresse"):
        return _dotted(f"financement{slot}", rest)
    if name == "versements":
        return notified_key(year, slot, "verse_date" if rest[-1:] == ("date",) else "verse")
    return notified_key(year, slot, _NOTIFIED_COLUMNS.get(str(name), "notifie"))


def _cell_problems(exc: DossierInvalidError, built: Built) -> list[CellProblem]:
    out = []
    for problem in exc.problemes:
        loc = parse_path(problem.chemin)
        if loc[:1] == ("decisions",) and loc[2:3] == ("etablissements",):
            continue  # built from the rows' FINESS: the établissement's own error says it
        row, key = locate(loc, built)
        out.append(CellProblem(row, key, problem.message))
    return out


@dataclass
class GroupOutcome:
    """A validated dossier (None if every row failed) and the problems of the failed rows."""

    dossier: Dossier | None
    rows: list[int]
    problems: list[CellProblem]


def _choice_keys(row: RawRow) -> RawRow:
    """French labels of the choice lists back to their keys; an unknown choice is a
    problem of its cell, listing the labels the workbook offers."""
    known = by_key()
    values = dict(row.values)
    problems = list(row.problems)
    for key, text in row.values.items():
        column = known.get(key)
        if column is None or column.kind != "choix":
            continue
        found = column.choice_key(text)
        if found is None:
            problems.append(
                (
                    key,
                    f"valeur non autorisée « {text} » ; valeurs possibles : "
                    + ", ".join(f"« {v} »" for v in column.shown_choices),
                )
            )
            del values[key]
        else:
            values[key] = found
    return RawRow(row.number, values, problems)


def _inherit_shared(rows: Sequence[RawRow]) -> list[RawRow]:
    """Organisme columns may be left empty after the organisme's first row."""
    shared = {k: v for k, v in rows[0].values.items() if k.split(".", 1)[0] in _SHARED_ROOTS}
    return [
        RawRow(row.number, {**shared, **row.values} if i else row.values, row.problems)
        for i, row in enumerate(rows)
    ]


def build_group(
    rows: Sequence[RawRow], source: str, aujourdhui: date | None = None
) -> GroupOutcome:
    """Validate each row alone, then the good rows together; drop the rows that fail."""
    problems: list[CellProblem] = []
    good: list[RawRow] = []
    rows = _inherit_shared([_choice_keys(row) for row in rows])
    for row in rows:
        if row.problems:
            problems += [CellProblem(row.number, key, msg) for key, msg in row.problems]
            continue
        built = assemble([row])
        if built.problems:
            problems += built.problems
            continue
        try:
            validate_dossier(built.data, source, aujourdhui=aujourdhui)
        except DossierInvalidError as exc:
            problems += _cell_problems(exc, built)
            continue
        good.append(row)
    while good:
        built = assemble(good)
        found = built.problems
        if not found:
            try:
                dossier = validate_dossier(built.data, source, aujourdhui=aujourdhui)
            except DossierInvalidError as exc:
                found = _cell_problems(exc, built)
            else:
                return GroupOutcome(dossier, [r.number for r in good], problems)
        problems += found
        bad = {p.row for p in found}
        remaining = [r for r in good if r.number not in bad]
        if len(remaining) == len(good):  # pragma: no cover - a problem no row explains
            problems += [
                CellProblem(r.number, None, "rejetée avec les autres lignes de l'organisme")
                for r in good
            ]
            remaining = []
        good = remaining
    return GroupOutcome(None, [], problems)


def to_field_problems(
    problems: Sequence[CellProblem], sheet: str | None, letters: dict[str, str]
) -> list[FieldProblem]:
    """Cell problems with the sheet, the column letter and the French header."""
    known = by_key()
    out = []
    for p in sorted(problems, key=lambda p: p.row):
        column = known.get(p.column) if p.column else None
        header = column.header if column else ""
        letter = letters.get(p.column or "")
        where = letter if letter else (f"« {header} » (absente du fichier)" if header else None)
        out.append(FieldProblem(header, p.message, ligne=p.row, feuille=sheet, colonne=where))
    return out
