"""The empty workbook of `recours lot modele`, generated from the column definitions."""

from __future__ import annotations

import io
from pathlib import Path

from recours.batch.columns import EXERCISES, LIST_SEPARATOR, Column, column_letter, columns
from recours.batch.input import DATA_SHEET
from recours.files import atomic_write_bytes

INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Listes"
FORMATTED_ROWS = 2000
"""Rows pre-formatted as text in identifier columns (the column style covers the rest)."""

_KIND_HELP = {
    "texte": "texte",
    "identifiant": "identifiant, au format texte (les zéros en tête sont conservés)",
    "nombre": "nombre (virgule ou point décimal)",
    "entier": "nombre entier",
    "date": "date JJ/MM/AAAA (ou AAAA-MM-JJ)",
    "oui_non": "oui ou non",
    "choix": "une valeur de la liste",
    "liste": f"plusieurs valeurs séparées par « {LIST_SEPARATOR} »",
}

INSTRUCTIONS = [
    "Lot d'établissements pour « recours lot generer »",
    "",
    "Une ligne par établissement, dans la feuille « Établissements ». Les colonnes de "
    "l'organisme gestionnaire (SIREN ou SIRET obligatoire) sont répétées sur chaque ligne, "
    "ou laissées vides après la première ligne de l'organisme.",
    "Regroupez si possible les lignes d'un même organisme : le traitement est alors plus "
    "économe en mémoire. Les lignes d'un organisme donnent un dossier et un courrier par "
    "autorité de tarification.",
    "Autorités : indiquez l'autorité 1 (et l'autorité 2 pour un établissement cofinancé, "
    "avec les parts en %). Une même autorité doit être décrite de la même façon sur toutes "
    "les lignes de l'organisme. L'identifiant est facultatif (tiré du nom).",
    "Décision : la décision de l'autorité (arrêté, notification) ; les établissements qui "
    "ont la même décision (mêmes nature, numéro et dates) sont visés par un seul courrier.",
    "Exercices : remplissez les colonnes des exercices réclamés ("
    + ", ".join(str(y) for y in EXERCISES)
    + ") : ETP (méthodes etp et cout_unitaire) ou coût réel (méthode cout_reel), "
    "mois éligibles (12 par défaut) et montants déjà reçus.",
    "Financements notifiés (facultatif) : pour un financement de la mesure notifié par une "
    "autorité mais pas entièrement versé, remplissez, dans les colonnes de l'exercice, le "
    "montant notifié, sa date et ce qui a été versé, et le payeur de l'autorité (pour l'ARS, "
    "la caisse d'assurance maladie) : une mise en demeure de payer est préparée. Les demandes "
    "indemnitaires et mises en demeure déjà envoyées se notent dans leurs colonnes, par "
    "autorité.",
    "FINESS, SIREN, SIRET, codes postaux et départements sont au format texte : ne les "
    "convertissez pas en nombres (un zéro manquant est rétabli si Excel l'a supprimé).",
    "Les erreurs sont signalées par feuille, ligne et colonne dans rapport.xlsx ; les "
    "autres lignes sont traitées.",
    "",
]


def _list_values(column: Column) -> tuple[str, ...]:
    return column.shown_choices


_GROUP_HELP = {
    "organisme": "Organisme gestionnaire (répété sur chaque ligne, ou laissé vide après la "
    "première ligne de l'organisme)",
    "dossier": "Pour tout le dossier de l'organisme",
    "avocat": "Avocat, s'il y en a un (facultatif)",
    "etablissement": "L'établissement de la ligne",
    "autorite1": "Autorité de tarification qui finance l'établissement",
    "autorite2": "Seconde autorité, pour un établissement cofinancé (sinon laisser vide)",
    "decision1": "La décision de l'autorité 1 que vous contestez",
    "decision2": "La décision de l'autorité 2 que vous contestez",
    **{
        f"demande{slot}": f"Demande indemnitaire préalable déjà envoyée à l'autorité {slot} "
        "(une par organisme et autorité ; facultatif)"
        for slot in (1, 2)
    },
    **{
        f"mise_en_demeure{slot}": f"Mise en demeure de payer déjà envoyée pour un financement "
        f"notifié par l'autorité {slot} (facultatif)"
        for slot in (1, 2)
    },
    **{
        f"financement{slot}": f"Financement notifié par l'autorité {slot} pour l'établissement "
        f"de la ligne (colonnes « Exercice … — notifié par l'autorité {slot} »)"
        for slot in (1, 2)
    },
}


def _explanation(column: Column) -> str:
    """The column's description, with what it belongs to, in plain French."""
    group = column.key.split(".", 1)[0]
    if group.startswith("exercice") and (".notifie" in column.key or ".verse" in column.key):
        context = f"Exercice {group.removeprefix('exercice')} (facultatif)"
    elif group.startswith("exercice"):
        context = f"Exercice {group.removeprefix('exercice')} (laisser vide s'il n'est pas réclamé)"
    else:
        context = _GROUP_HELP.get(group, "")
    text = column.description.rstrip(".")
    return f"{context} : {text}." if context else f"{text}."


def write_template(path: Path, force: bool = False) -> None:
    """Write the empty workbook: headers, instructions, choice lists, text formats."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET, 0)

    list_ranges: dict[tuple[str, ...], str] = {}
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    optional_fill = PatternFill("solid", fgColor="EEEEEE")
    for index, column in enumerate(cols):
        letter = column_letter(index)
        cell = sheet.cell(row=1, column=index + 1, value=column.header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = required_fill if column.required else optional_fill
        cell.comment = Comment(column.description, "recours")
        dimension = sheet.column_dimensions[letter]
        dimension.width = 22
        if column.text_format:
            dimension.number_format = "@"
            for row in range(2, FORMATTED_ROWS + 2):
                sheet.cell(row=row, column=index + 1).number_format = "@"
        elif column.kind == "date":
            # Cells too, not only the column: LibreOffice and Excel read the cell's format.
            dimension.number_format = "DD/MM/YYYY"
            for row in range(2, FORMATTED_ROWS + 2):
                sheet.cell(row=row, column=index + 1).number_format = "DD/MM/YYYY"
        values = _list_values(column)
        if values:
            if values not in list_ranges:
                list_col = column_letter(len(list_ranges))
                lists.cell(row=1, column=len(list_ranges) + 1, value=column.header)
                for i, value in enumerate(values, start=2):
                    lists.cell(row=i, column=len(list_ranges) + 1, value=value)
                list_ranges[values] = f"'{LISTS_SHEET}'!${list_col}$2:${list_col}${len(values) + 1}"
            validation = DataValidation(
                type="list",
                formula1=list_ranges[values],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Valeur non autorisée",
                error="Choisissez une valeur de la liste.",
            )
            validation.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 60

    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.append(
        ["Colonne", "En-tête", "Obligatoire", "Format", "À quoi sert cette colonne", "Exemple"]
    )
    header_row = instructions.max_row
    for cell in instructions[header_row]:
        cell.font = bold
    for index, column in enumerate(cols):
        fmt = _KIND_HELP[column.kind]
        if column.kind == "choix":
            fmt += " : " + " ; ".join(column.shown_choices)
        instructions.append(
            [
                column_letter(index),
                column.header,
                "oui" if column.required else "",
                fmt,
                _explanation(column),
                column.example or "",
            ]
        )
        for cell in instructions[instructions.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (9, 45, 12, 50, 70, 25), strict=True):
        instructions.column_dimensions[letter].width = width
    for row in instructions.iter_rows(min_row=1, max_row=len(INSTRUCTIONS)):
        row[0].alignment = Alignment(wrap_text=False)
    workbook.active = workbook.index(sheet)

    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(path, buffer.getvalue(), force=force)
