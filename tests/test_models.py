"""Dossier model and its loading: every kind of bad input gets its exact French message,
on its field path, with its YAML line, and all at once."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from recours.dossier.models import Decision, Dossier, Exercice
from recours.dossier.validation import (
    format_path,
    load_dossier,
    load_yaml,
    validate_dossier,
)
from recours.errors import DossierInvalidError, FieldProblem, RecoursError
from recours.law.referentiel import load_referentiel
from recours.questionnaire.answers import check_field

DATA = Path(__file__).resolve().parent / "data"
Mutation = Callable[[dict[str, Any]], None]
_DELETE = object()


def _at(path: str, value: Any) -> Mutation:
    """Mutation setting (or deleting, with _DELETE) one value: "etablissements.0.finess"."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return mutate


def _add_second_etablissement(data: dict[str, Any]) -> None:
    data["etablissements"].append(copy.deepcopy(data["etablissements"][0]))
    data["etablissements"][1]["nom"] = "MECS Les Tilleuls, second site"


def problems_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(data, "dossier.yaml")
    return [(p.chemin, p.message) for p in info.value.problemes]


# --------------------------------------------------------------------- refusals

BAD_DOSSIERS: list[tuple[str, Mutation, list[tuple[str, str]]]] = [
    (
        "siren-cle-fausse",
        _at("organisme.siren", "123456789"),  # Luhn key wrong
        [
            (
                "organisme.siren",
                "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte",
            )
        ],
    ),
    (
        "siret-cle-fausse",
        _at("organisme.siret", "66554433400015"),
        [
            (
                "organisme.siret",
                "SIRET invalide : 14 chiffres attendus avec une clé de contrôle correcte",
            )
        ],
    ),
    (
        "ni-siren-ni-siret",
        _at("organisme.siren", _DELETE),
        [("organisme", "indiquez le SIREN ou le SIRET de l'organisme")],
    ),
    (
        "siret-d-un-autre-siren",
        _at("organisme.siret", "66554433400014"),
        [("organisme", "le SIRET ne commence pas par le SIREN indiqué")],
    ),
    (
        "rna-invalide",
        _at("organisme.rna", "W12345"),
        [
            (
                "organisme.rna",
                "numéro RNA invalide : « W » suivi de 9 caractères attendu (ex. W751234567)",
            )
        ],
    ),
    (
        "champ-inconnu",
        _at("organisme.raison", "Les Tilleuls"),
        [("organisme.raison", "champ inconnu (vérifiez l'orthographe)")],
    ),
    (
        "champ-inconnu-racine",
        _at("reference_interne", "X-1"),
        [("reference_interne", "champ inconnu (vérifiez l'orthographe)")],
    ),
    (
        "champ-manquant",
        _at("organisme.raison_sociale", _DELETE),
        [("organisme.raison_sociale", "champ obligatoire manquant")],
    ),
    (
        "texte-vide",
        _at("organisme.raison_sociale", "   "),
        [("organisme.raison_sociale", "ne doit pas être vide")],
    ),
    (
        "code-postal-4-chiffres",
        _at("organisme.siege.code_postal", "7200"),
        [("organisme.siege.code_postal", "code postal invalide : 5 chiffres attendus (ex. 07500)")],
    ),
    (
        "mois-13",
        _at("etablissements.0.exercices.0.mois", "13"),
        [("etablissements[0].exercices[0].mois", "doit être inférieur ou égal à 12")],
    ),
    (
        "exercice-2023",
        # The accord takes effect on 1 January 2024 (accord-segur-pour-tous.md §1.3).
        _at("etablissements.0.exercices.0.annee", "2023"),
        [
            (
                "etablissements[0].exercices[0].annee",
                "exercice 2023 antérieur à l'entrée en vigueur de l'accord (2024)",
            )
        ],
    ),
    (
        "exercice-en-double",
        _at(
            "etablissements.0.exercices",
            [{"annee": "2024", "etp": "1"}, {"annee": "2024", "etp": "2"}],
        ),
        [("etablissements[0].exercices", "un même exercice figure deux fois")],
    ),
    (
        "etp-negatif",
        _at("etablissements.0.exercices.0.etp", "-1"),
        [("etablissements[0].exercices[0].etp", "doit être supérieur ou égal à 0")],
    ),
    (
        "etp-non-fini",
        _at("etablissements.0.exercices.0.etp", "NaN"),
        [("etablissements[0].exercices[0].etp", "nombre fini attendu")],
    ),
    (
        "montant-3-decimales",
        _at("etablissements.0.exercices.0.financement_recu", {"cd-72": "12,345"}),
        [("etablissements[0].exercices[0].financement_recu.cd-72", "au plus 2 décimales")],
    ),
    (
        "montant-illisible",
        _at("etablissements.0.exercices.0.financement_recu", {"cd-72": "1 234,5x"}),
        [
            (
                "etablissements[0].exercices[0].financement_recu.cd-72",
                "nombre invalide : « 1 234,5x »",
            )
        ],
    ),
    (
        "coefficient-inferieur-a-1",
        _at("etablissements.0.coefficient_charges", "0,9"),
        [("etablissements[0].coefficient_charges", "doit être supérieur ou égal à 1")],
    ),
    (
        "date-inexistante",
        _at("decisions.0.date", "2026-02-30"),
        [("decisions[0].date", "date invalide ou inexistante (format attendu AAAA-MM-JJ)")],
    ),
    (
        "date-avec-heure",
        _at("decisions.0.date", "2026-03-10T10:00:00"),
        [("decisions[0].date", "date sans heure attendue (AAAA-MM-JJ)")],
    ),
    (
        "notification-avant-decision",
        _at("decisions.0.date_notification", "2026-03-01"),
        [("decisions[0].date_notification", "antérieure à la date de la décision")],
    ),
    (
        "reception-avant-envoi",
        _at(
            "decisions.0.recours_gracieux",
            {"date_envoi": "2026-04-10", "date_reception": "2026-04-01"},
        ),
        [("decisions[0].recours_gracieux.date_reception", "antérieure à la date d'envoi")],
    ),
    (
        "finess-autre-departement",
        _at("etablissements.0.finess", "750000011"),
        [("etablissements[0].finess", "le FINESS 750000011 ne correspond pas au département 72")],
    ),
    (
        "finess-mal-forme",
        _at("etablissements.0.finess", "72000001"),
        [
            (
                "etablissements[0].finess",
                "FINESS invalide : 9 caractères attendus, commençant par le code du département "
                "(ex. 750012345, 2A0001234)",
            )
        ],
    ),
    (
        "departement-inconnu",
        _at("etablissements.0.departement", "96"),
        [("etablissements[0].departement", "code de département invalide (ex. 01, 2A, 75, 971)")],
    ),
    (
        "parts-60",
        _at("etablissements.0.financeurs", [{"autorite": "cd-72", "part": "60"}]),
        [("etablissements[0].financeurs", "la somme des parts fait 60 % au lieu de 100 %")],
    ),
    (
        "part-nulle",
        _at("etablissements.0.financeurs", [{"autorite": "cd-72", "part": "0"}]),
        [("etablissements[0].financeurs[0].part", "doit être supérieur à 0")],
    ),
    (
        "autorite-deux-fois",
        _at(
            "etablissements.0.financeurs",
            [{"autorite": "cd-72", "part": "50"}, {"autorite": "cd-72", "part": "50"}],
        ),
        [("etablissements[0].financeurs", "une même autorité figure deux fois")],
    ),
    (
        "financeur-inconnu",
        _at(
            "etablissements.0.financeurs",
            [{"autorite": "cd-72", "part": "50"}, {"autorite": "ars-pdl", "part": "50"}],
        ),
        [
            (
                "etablissements[0].financeurs[1].autorite",
                "autorité inconnue « ars-pdl » (déclarez-la dans autorites)",
            )
        ],
    ),
    (
        "decision-autorite-inconnue",
        _at("decisions.0.autorite", "ars-pdl"),
        [("decisions[0].autorite", "autorité inconnue « ars-pdl »")],
    ),
    (
        "decision-finess-inconnu",
        _at("decisions.0.etablissements", ["720000029"]),
        # Only the cause: no misleading "aucun établissement n'est financé" on top of it.
        [("decisions[0].etablissements", "FINESS inconnu 720000029")],
    ),
    (
        "financement-recu-autorite-etrangere",
        _at("etablissements.0.exercices.0.financement_recu", {"ars-pdl": "100"}),
        [
            (
                "etablissements[0].exercices[0].financement_recu",
                "autorité(s) qui ne finance(nt) pas l'établissement : ars-pdl",
            )
        ],
    ),
    (
        "type-autorite-inconnu",
        _at("autorites.0.type", "mairie"),
        [
            (
                "autorites[0].type",
                "valeur non autorisée ; valeurs possibles : « ars », « conseil_departemental », "
                "« prefet_departement » ou « prefet_region »",
            )
        ],
    ),
    (
        "methode-etp-sans-coefficient",
        _at("etablissements.0.coefficient_charges", _DELETE),
        [
            (
                "etablissements[0].coefficient_charges",
                "obligatoire avec la méthode etp (aucun coefficient officiel n'est publié : "
                "saisissez le vôtre)",
            )
        ],
    ),
    (
        "methode-etp-sans-etp",
        _at("etablissements.0.exercices.0.etp", _DELETE),
        [("etablissements[0].exercices[0].etp", "obligatoire avec la méthode etp")],
    ),
    (
        "cout-reel-manquant",
        _at("etablissements.0.methode", "cout_reel"),
        [("etablissements[0].exercices[0].cout_reel", "obligatoire avec la méthode cout_reel")],
    ),
    (
        "caractere-de-controle",
        _at("organisme.raison_sociale", "A\x01B"),
        [("organisme.raison_sociale", "caractère de contrôle interdit (U+0001) à la position 2")],
    ),
    (
        "caractere-de-controle-c1",
        _at("faits_complementaires", "Première ligne\nsuite\x85fin"),
        [("faits_complementaires", "caractère de contrôle interdit (U+0085) à la position 21")],
    ),
    (
        "plusieurs-lignes-dans-un-champ-d-une-ligne",
        _at("organisme.representant_legal.nom", "Claire\nMartin"),
        [
            (
                "organisme.representant_legal.nom",
                "une seule ligne attendue (pas de retour à la ligne)",
            )
        ],
    ),
    (
        "rejet-explicite-sans-recours-gracieux",
        _at("decisions.0.rejet_explicite", {"date_notification": "2026-05-02"}),
        [
            (
                "decisions[0].rejet_explicite",
                "indiquez aussi le recours gracieux (recours_gracieux) auquel ce rejet répond",
            )
        ],
    ),
    (
        "signataire-sans-delegation",
        _at("organisme.signataire", {"nom": "Sophie Nguyen", "qualite": "directrice générale"}),
        [
            (
                "organisme.signataire.delegation",
                "indiquez la délégation qui autorise le signataire (il n'est pas le représentant "
                "légal)",
            )
        ],
    ),
    (
        "finess-en-double",
        _add_second_etablissement,
        [("etablissements", "deux établissements ont le même FINESS")],
    ),
    (
        "oui-non-illisible",
        _at("decisions.0.voies_et_delais_mentionnes", "peut-être"),
        [("decisions[0].voies_et_delais_mentionnes", "oui ou non attendu (true / false)")],
    ),
    (
        "liste-vide",
        _at("decisions", []),
        [("decisions", "au moins 1 élément(s) attendu(s)")],
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(m, e, id=name) for name, m, e in BAD_DOSSIERS],
)
def test_bad_dossier_exact_message(
    dossier_data: dict[str, Any], mutate: Mutation, expected: list[tuple[str, str]]
) -> None:
    mutate(dossier_data)
    assert problems_of(dossier_data) == expected


def test_unknown_category_lists_the_referential(dossier_data: dict[str, Any]) -> None:
    dossier_data["etablissements"][0]["categorie"] = "creche"
    expected = "catégorie inconnue « creche » ; valeurs possibles : " + ", ".join(
        sorted(load_referentiel().categories)
    )
    assert problems_of(dossier_data) == [("etablissements[0].categorie", expected)]
    assert "mecs, mjpm" in expected  # the list is sorted, and names real keys


def test_minimal_dossier_is_valid(dossier_data: dict[str, Any]) -> None:
    dossier = validate_dossier(dossier_data, "test")
    etab = dossier.etablissements[0]
    assert etab.exercices[0].annee == 2024
    assert etab.exercices[0].mois == 12  # default: the whole year
    assert etab.financeurs[0].part == Decimal(100)  # default: sole funder
    assert dossier.decisions[0].voies_et_delais_mentionnes is True


# ------------------------------------------------------------------- acceptances


def test_multi_line_text_accepted_where_allowed(dossier_data: dict[str, Any]) -> None:
    dossier_data["faits_complementaires"] = "  Propositions du 28 octobre.\r\nPas de réponse.\r\n"
    dossier = validate_dossier(dossier_data, "test")
    # Windows line ends normalised, outer blanks removed, inner line break kept.
    assert dossier.faits_complementaires == "Propositions du 28 octobre.\nPas de réponse."


def test_single_line_text_is_stripped(dossier_data: dict[str, Any]) -> None:
    dossier_data["organisme"]["raison_sociale"] = "  Association Les Tilleuls \n"
    assert (
        validate_dossier(dossier_data, "t").organisme.raison_sociale == "Association Les Tilleuls"
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),  # French: space for thousands, comma for decimals
        ("1\u202f234,50\xa0€", Decimal("1234.50")),  # as copied from a spreadsheet
        ("1234.5", Decimal("1234.5")),
        ("0", Decimal("0")),
        (1234.5, Decimal("1234.5")),  # JSON float
        (1234, Decimal("1234")),  # JSON int
    ],
)
def test_french_decimals_accepted(typed: Any, expected: Decimal) -> None:
    assert check_field(Exercice, "cout_reel", typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.234,50", "nombre invalide : « 1.234,50 »"),
        (True, "nombre attendu"),  # YAML `yes` must not become 1 €
        ("-5", "doit être supérieur ou égal à 0"),
    ],
)
def test_bad_amounts_refused(typed: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        check_field(Exercice, "cout_reel", typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("oui", True), ("Non", False), (" OUI ", True), (True, True), (False, False), ("true", True)],
)
def test_oui_non(typed: Any, expected: bool) -> None:
    assert check_field(Decision, "voies_et_delais_mentionnes", typed) is expected


def test_one_answer_single_line_message() -> None:
    assert check_field(Dossier, "lieu_signature", " Montreuil ") == "Montreuil"
    with pytest.raises(
        ValueError, match=r"^une seule ligne attendue \(pas de retour à la ligne\)$"
    ):
        check_field(Dossier, "lieu_signature", "a\nb")


def test_signataire_with_delegation_accepted(dossier_data: dict[str, Any]) -> None:
    dossier_data["organisme"]["signataire"] = {
        "nom": "Sophie Nguyen",
        "qualite": "directrice générale",
        "delegation": "délégation du conseil d'administration du 14 mars 2025",
    }
    assert validate_dossier(dossier_data, "t").organisme.signataire is not None


def test_siren_and_siret_are_compacted(dossier_data: dict[str, Any]) -> None:
    dossier_data["organisme"]["siren"] = "665 544 334"
    dossier_data["organisme"]["siret"] = "665 544 334 00014"
    organisme = validate_dossier(dossier_data, "t").organisme
    assert (organisme.siren, organisme.siret) == ("665544334", "66554433400014")


def test_siren_derived_from_siret(dossier_data: dict[str, Any]) -> None:
    del dossier_data["organisme"]["siren"]
    dossier_data["organisme"]["siret"] = "66554433400014"
    assert validate_dossier(dossier_data, "t").organisme.siren_effectif == "665544334"


# ------------------------------------------------------------- several at once


def test_all_problems_listed_at_once(dossier_data: dict[str, Any]) -> None:
    dossier_data["organisme"]["siren"] = "123456789"
    etab = dossier_data["etablissements"][0]
    # Three cross-field problems in the same établissement: all three are reported.
    etab["finess"] = "750000011"
    etab["financeurs"] = [{"autorite": "cd-72", "part": "60"}]
    del etab["coefficient_charges"]
    dossier_data["decisions"][0]["date"] = "2026-02-30"
    assert problems_of(dossier_data) == [
        (
            "organisme.siren",
            "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte",
        ),
        ("etablissements[0].finess", "le FINESS 750000011 ne correspond pas au département 72"),
        ("etablissements[0].financeurs", "la somme des parts fait 60 % au lieu de 100 %"),
        (
            "etablissements[0].coefficient_charges",
            "obligatoire avec la méthode etp (aucun coefficient officiel n'est publié : "
            "saisissez le vôtre)",
        ),
        ("decisions[0].date", "date invalide ou inexistante (format attendu AAAA-MM-JJ)"),
    ]


def test_all_link_problems_listed_at_once(dossier_data: dict[str, Any]) -> None:
    _add_second_etablissement(dossier_data)
    dossier_data["decisions"].append(copy.deepcopy(dossier_data["decisions"][0]))
    dossier_data["decisions"][1]["autorite"] = "ars-pdl"
    assert problems_of(dossier_data) == [
        ("etablissements", "deux établissements ont le même FINESS"),
        ("decisions[1].autorite", "autorité inconnue « ars-pdl »"),
    ]


# ---------------------------------------------------------------- YAML loading


def test_yaml_keeps_identifiers_as_typed() -> None:
    # Unquoted in the file: a standard YAML loader would turn 01000 into 1000 (or 512, octal).
    data = load_yaml(
        "code_postal: 01000\nfiness: 010000000\ndepartement: 01\nannee: 2024\n"
        "date: 2026-03-10\netp: 2.50\nok: true\n"
    )
    assert data == {
        "code_postal": "01000",
        "finess": "010000000",
        "departement": "01",
        "annee": "2024",
        "date": "2026-03-10",
        "etp": "2.50",
        "ok": True,
    }


def test_minimal_yaml_file_loads_with_leading_zeros() -> None:
    dossier = load_dossier(DATA / "dossier-minimal.yaml")
    etab = dossier.etablissements[0]
    assert dossier.organisme.siege.code_postal == "01000"
    assert dossier.organisme.siren == "778899112"
    assert (etab.finess, etab.departement, etab.adresse.code_postal) == ("010000000", "01", "01000")
    assert etab.coefficient_charges == Decimal("1.5")  # typed 1,5
    assert etab.exercices[1].etp == Decimal("2.5")  # typed 2,5
    assert etab.exercices[1].financement_recu == {"cd-01": Decimal("1234.50")}  # typed 1 234,50
    assert dossier.decisions[0].date == date(2026, 3, 10)
    assert dossier.decisions[0].voies_et_delais_mentionnes is True  # typed oui


def test_yaml_line_numbers_and_every_problem() -> None:
    with pytest.raises(DossierInvalidError) as info:
        load_dossier(DATA / "dossier-erreurs.yaml")
    got = [(p.ligne, p.chemin, p.message) for p in info.value.problemes]
    assert got == [
        (
            4,
            "organisme.siren",
            "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte",
        ),
        (
            7,
            "organisme.siege.code_postal",
            "code postal invalide : 5 chiffres attendus (ex. 07500)",
        ),
        # A missing field has no line of its own: the line of its parent (siege:) is given.
        (5, "organisme.siege.commune", "champ obligatoire manquant"),
        (11, "organisme.representant_legal.telephone", "champ inconnu (vérifiez l'orthographe)"),
        (
            36,
            "etablissements[0].exercices[0].annee",
            "exercice 2023 antérieur à l'entrée en vigueur de l'accord (2024)",
        ),
        (37, "etablissements[0].exercices[0].mois", "doit être inférieur ou égal à 12"),
        (38, "etablissements[0].exercices[0].etp", "doit être supérieur ou égal à 0"),
        (42, "decisions[0].date", "date invalide ou inexistante (format attendu AAAA-MM-JJ)"),
    ]
    assert str(info.value).splitlines()[:2] == [
        f"{DATA / 'dossier-erreurs.yaml'} : 8 erreur(s)",
        "  - [ligne 4] organisme.siren : SIREN invalide : 9 chiffres attendus avec une clé de "
        "contrôle correcte",
    ]


def test_cross_field_problem_gets_the_line_of_its_field(tmp_path: Path) -> None:
    text = (DATA / "dossier-minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(text.replace("finess: 010000000", "finess: 750000011"), encoding="utf-8")
    with pytest.raises(DossierInvalidError) as info:
        load_dossier(path)
    assert info.value.problemes == [
        FieldProblem(
            "etablissements[0].finess",
            "le FINESS 750000011 ne correspond pas au département 01",
            25,
        )
    ]


def test_json_dossier(tmp_path: Path, dossier_data: dict[str, Any]) -> None:
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(dossier_data, ensure_ascii=False), encoding="utf-8")
    assert load_dossier(path) == validate_dossier(dossier_data, "t")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "d.json",
            '{\n  "organisme": ,\n}',
            FieldProblem("", "JSON invalide : Expecting value", 2),
        ),
        (
            "d.yaml",
            "organisme:\n  nom: [a\n",
            FieldProblem("", "YAML invalide : crochet non fermé : « ] » attendu", 3),
        ),
        (
            "d.yaml",
            "- a\n- b\n",
            FieldProblem("", "le dossier doit être un ensemble de champs (clé : valeur)"),
        ),
    ],
)
def test_unreadable_dossier(tmp_path: Path, name: str, text: str, expected: FieldProblem) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DossierInvalidError) as info:
        load_dossier(path)
    assert info.value.problemes == [expected]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecoursError, match=r" : fichier introuvable$"):
        load_dossier(tmp_path / "absent.yaml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("nom: Hélène\n".encode("latin-1"))
    with pytest.raises(RecoursError, match=r" : le fichier n'est pas encodé en UTF-8$"):
        load_dossier(path)


def test_field_problem_str() -> None:
    assert str(FieldProblem("a.b", "message", ligne=3)) == "[ligne 3] a.b : message"
    assert str(FieldProblem("", "message")) == "(dossier) : message"
    problem = FieldProblem("c", "m", ligne=4, feuille="Établissements", colonne="B")
    assert str(problem) == "[feuille « Établissements », ligne 4, colonne B] c : m"


def test_format_path() -> None:
    assert (
        format_path(("etablissements", 0, "exercices", 1, "etp"))
        == "etablissements[0].exercices[1].etp"
    )
    assert format_path(()) == ""


@pytest.mark.parametrize(
    "path",
    [
        "etablissements[0].exercices[1].financement_recu.ars-idf",
        "decisions[2].faits.abattement_sans_contradictoire",
        "$schema",
        "",
    ],
)
def test_one_path_codec_reads_what_it_writes(path: str) -> None:
    from recours.dossier.paths import parse_path

    assert format_path(parse_path(path)) == path
    assert parse_path("etablissements[0].financement_recu.ars-idf") == (
        "etablissements", 0, "financement_recu", "ars-idf"
    )  # fmt: skip


# ----------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    "stem", ["chrs-prefet-region", "mecs-conseil-departemental", "multisite-ars-cpom"]
)
def test_examples_are_valid(example_paths: dict[str, Path], stem: str) -> None:
    dossier = load_dossier(example_paths[stem])
    assert dossier.etablissements and dossier.decisions


def test_decision_scope(example_paths: dict[str, Path]) -> None:
    dossier = load_dossier(example_paths["multisite-ars-cpom"])
    ars, _ars_2025, cd = dossier.decisions
    # No list of établissements: every one the authority funds (the FAM is co-funded).
    assert [e.nom for e in dossier.etablissements_de(ars)] == [
        "IME Les Platanes",
        "SESSAD Horizons",
        "FAM Le Belvédère",
    ]
    assert [e.nom for e in dossier.etablissements_de(cd)] == ["FAM Le Belvédère"]
    assert dossier.decision_id(2) == "cd-fam-2026"


def test_decision_id_default(dossier_data: dict[str, Any]) -> None:
    assert validate_dossier(dossier_data, "t").decision_id(0) == "decision-1"


def test_duplicate_yaml_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "doublon.yaml"
    path.write_text("organisme:\n  raison_sociale: A\n  raison_sociale: B\n", encoding="utf-8")
    with pytest.raises(DossierInvalidError) as info:
        load_dossier(path)
    (problem,) = info.value.problemes
    assert (problem.ligne, problem.message) == (
        3,
        "YAML invalide : clé « raison_sociale » en double (déjà présente ligne 2)",
    )


def test_tabs_pasted_from_word_become_spaces(dossier_data: dict[str, Any]) -> None:
    dossier_data.update(faits_complementaires="a\tb\nc", reference="X\tY")
    dossier = validate_dossier(dossier_data, "tabs")
    assert (dossier.faits_complementaires, dossier.reference) == ("a b\nc", "X Y")


def test_tariff_decision_notified_before_2025_uses_the_one_month_rule(
    dossier_data: dict[str, Any],
) -> None:
    # Former CASF R.351-15: one month before the TITSS until 31 December 2024. Notified
    # 8 November 2024 -> échéance 8 December (Sunday) + 1 day -> Monday 9 December 2024.
    from recours.law.procedure import decision_deadlines

    dossier_data["decisions"][0].update(date="2024-11-04", date_notification="2024-11-08")
    dossier = validate_dossier(dossier_data, "test")
    report = decision_deadlines(dossier, dossier.decisions[0], date(2024, 11, 20))
    assert report.recours_contentieux.date_limite == date(2024, 12, 9)
    assert report.recours_contentieux.fondements[0] == "casf-r351-15"
    assert report.avertissements[0].startswith(
        "Décision de tarification notifiée avant le 1er janvier 2025 : le tribunal de la "
        "tarification devait alors être saisi dans le délai d'un mois (CASF, art. R.351-15 (ancien))"
    )
    dossier_data["decisions"][0].update(date="2025-01-02", date_notification="2025-01-03")
    dossier = validate_dossier(dossier_data, "test")
    report = decision_deadlines(dossier, dossier.decisions[0], date(2025, 1, 20))
    # After the reform: two months (CJA R.421-1): 3 March 2025 + 1 day -> 4 March 2025.
    assert report.recours_contentieux.date_limite == date(2025, 3, 4)
    assert not [w for w in report.avertissements if "R.351-15" in w]


# ------------------------------------------- issue 10 §4-§5: today, COM, 69D/69M


TODAY = date(2026, 3, 20)


def problems_today(data: dict[str, Any], today: date = TODAY) -> list[tuple[str, str]]:
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(data, "dossier.yaml", aujourdhui=today)
    return [(p.chemin, p.message) for p in info.value.problemes]


FUTURE = "date du 21/03/2026 postérieure à la date du jour (20/03/2026) : indiquez une date passée"


@pytest.mark.parametrize(
    ("mutations", "expected"),
    [
        # Issue 10 §5: a date after today is refused, naming the field.
        (
            [
                _at("decisions.0.date", "2026-03-21"),
                _at("decisions.0.date_notification", "2026-03-21"),
            ],
            [("decisions[0].date", FUTURE), ("decisions[0].date_notification", FUTURE)],
        ),
        (
            [_at("decisions.0.date_notification", "2026-03-21")],
            [("decisions[0].date_notification", FUTURE)],
        ),
        (
            [_at("decisions.0.recours_gracieux", {"date_envoi": "2026-03-21"})],
            [("decisions[0].recours_gracieux.date_envoi", FUTURE)],
        ),
        (
            [
                _at(
                    "decisions.0.recours_gracieux",
                    {"date_envoi": "2026-03-18", "date_reception": "2026-03-21"},
                )
            ],
            [("decisions[0].recours_gracieux.date_reception", FUTURE)],
        ),
        (
            [
                _at("decisions.0.recours_gracieux", {"date_envoi": "2026-03-18"}),
                _at("decisions.0.rejet_explicite", {"date_notification": "2026-03-21"}),
            ],
            [("decisions[0].rejet_explicite.date_notification", FUTURE)],
        ),
        # Issue 10 §5: an exercise after the current year is refused.
        (
            [_at("etablissements.0.exercices", [{"annee": "2027", "etp": "1"}])],
            [
                (
                    "etablissements[0].exercices[0].annee",
                    "exercice 2027 postérieur à l'année en cours (2026)",
                )
            ],
        ),
        (
            [_at("decisions.0.exercices", ["2027"])],
            [("decisions[0].exercices[0]", "exercice 2027 postérieur à l'année en cours (2026)")],
        ),
    ],
)
def test_dates_after_today_refused(
    dossier_data: dict[str, Any], mutations: list[Mutation], expected: list[tuple[str, str]]
) -> None:
    for mutate in mutations:
        mutate(dossier_data)
    assert problems_today(dossier_data) == expected
    # Without today (library use), the models never read the clock: nothing is refused.
    validate_dossier(dossier_data, "dossier.yaml")


def test_today_itself_is_accepted(dossier_data: dict[str, Any]) -> None:
    dossier_data["decisions"][0]["date_notification"] = "2026-03-20"
    dossier_data["etablissements"][0]["exercices"] = [{"annee": "2026", "etp": "1"}]
    validate_dossier(dossier_data, "dossier.yaml", aujourdhui=TODAY)


def test_one_answer_uses_today() -> None:
    assert check_field(Decision, "date", "2026-03-20", aujourdhui=TODAY) == date(2026, 3, 20)
    with pytest.raises(ValueError, match="postérieure à la date du jour"):
        check_field(Decision, "date", "2026-03-21", aujourdhui=TODAY)


HORS_CHAMP = {
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}


def _hors_champ_message(code: str) -> str:
    return (
        f"{HORS_CHAMP[code]} ({code}) : le régime de tarification des établissements et services "
        "sociaux et médico-sociaux du code de l'action sociale et des familles (art. L.312-1 et "
        "L.314-1) ne s'y applique pas selon les sources consultées (à vérifier) : recours ne "
        "génère pas de documents pour ce territoire ; faites examiner la situation par un avocat"
    )


@pytest.mark.parametrize("code", sorted(HORS_CHAMP))
def test_com_outside_casf_refused(dossier_data: dict[str, Any], code: str) -> None:
    # autorites.md: "For 986, 987 and 988 the tool should stop" (CASF tariff rules do not apply).
    dossier_data["autorites"][0]["departement"] = code
    dossier_data["etablissements"][0]["departement"] = code
    dossier_data["etablissements"][0]["finess"] = "9A0000011"
    assert problems_of(dossier_data) == [
        ("autorites[0].departement", _hors_champ_message(code)),
        ("etablissements[0].departement", _hors_champ_message(code)),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # 69D / 69M belong to département 69 only (autorites.md, Reading the table).
        (
            {"departement": "72", "collectivite": "69M"},
            [("autorites[0].collectivite", "69M ne relève pas du département 72")],
        ),
        (
            {"departement": "69", "collectivite": "69X"},
            [
                (
                    "autorites[0].collectivite",
                    "valeur non autorisée ; valeurs possibles : « 69D » ou « 69M »",
                )
            ],
        ),
        (
            {"type": "ars", "departement": "69", "collectivite": "69M"},
            [
                (
                    "autorites[0].collectivite",
                    "ne s'indique que pour un conseil départemental (type conseil_departemental)",
                )
            ],
        ),
        # Saint-Pierre-et-Miquelon has no ARS (CASF L.531-5; CSP L.1441-1).
        (
            {"type": "ars", "departement": "975"},
            [
                (
                    "autorites[0].type",
                    "pas d'agence régionale de santé pour Saint-Pierre-et-Miquelon ; ses compétences "
                    "sont exercées par le représentant de l'État (choisissez un type préfet)",
                )
            ],
        ),
    ],
)
def test_authority_collectivite_refusals(
    dossier_data: dict[str, Any], changes: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    dossier_data["autorites"][0].update(changes)
    assert [p for p in problems_of(dossier_data) if p[0].startswith("autorites")] == expected


def test_collectivite_69m_accepted_and_old_dossiers_stay_valid(
    dossier_data: dict[str, Any],
) -> None:
    auth = dossier_data["autorites"][0]
    auth.update({"departement": "69", "nom": "Métropole de Lyon", "collectivite": "69M"})
    assert validate_dossier(dossier_data, "d").autorites[0].collectivite == "69M"
    del auth["collectivite"]  # a dossier written before the field existed
    assert validate_dossier(dossier_data, "d").autorites[0].collectivite is None


def test_notification_description_states_the_referential_rule() -> None:
    # voies-de-droit.md §5.5, carried by referentiel.yaml notification.regle.
    from recours.dossier.models import Decision

    rule = " ".join(load_referentiel().notification.regle.valeur.split())
    assert Decision.model_fields["date_notification"].description == rule
    assert "première présentation" in rule and "15 jours" in rule
