"""The question spec: every dossier field the documents use can be answered, labels are
French and choices never show internal keys."""

from __future__ import annotations

import re
import typing
from datetime import date

import pytest
from pydantic import BaseModel

from recours.authoring.variables import template_reference
from recours.dossier import models
from recours.law.referentiel import load_referentiel
from recours.questionnaire import spec
from recours.questionnaire.flow import AnswerError

# Fields no question asks, and why.
NOT_ASKED = {
    "$schema": "editor modeline, written by the tool",
    "autorites[].id": "internal identifier, generated from the type and the département",
    "decisions[].id": "optional internal identifier, for files written by hand",
    # Paths to the user's own PDF files (Télérecours folder): written in the dossier file,
    # next to it; a web form cannot name a file of the user's disk.
    "decisions[].fichier": "path to a PDF, in the dossier file",
    "decisions[].recours_gracieux.fichier": "path to a PDF, in the dossier file",
    "decisions[].recours_gracieux.fichier_avis_reception": "path to a PDF, in the dossier file",
    "decisions[].rejet_explicite.fichier": "path to a PDF, in the dossier file",
    "organisme.fichier_statuts": "path to a PDF, in the dossier file",
    "organisme.fichier_pouvoir": "path to a PDF, in the dossier file",
    "pieces_complementaires[].fichier": "path to a PDF, in the dossier file",
    "pieces_complementaires[].intitule": "a titled pièce with its file, in the dossier file",
    # The follow-up journal is written by `recours suivi noter`, event by event.
    **{
        f"journal{suffix}": "written by recours suivi noter"
        for suffix in (
            "", "[].type", "[].date", "[].autorite", "[].decision", "[].mode",
            "[].numero_lrar", "[].sens", "[].montant", "[].juridiction", "[].numero", "[].note",
        )
    },
    "decisions[].recours_hierarchique.fichier": "path to a PDF, in the dossier file",
}  # fmt: skip
# Fields one question answers for another path: the funders' checkbox stores the
# authority of each financeurs[] entry.
ASKED_BY = {
    "etablissements[].financeurs[].autorite": "etablissements[].financeurs",
    # One question per fact of the referential: decisions[].faits.<fait>.reponse / .piece.
    "decisions[].faits.reponse": "decisions[].faits.propositions_budgetaires_mesure.reponse",
    "decisions[].faits.piece": "decisions[].faits.propositions_budgetaires_mesure.piece",
}


def _leaf_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path of a model, nested models walked (lists as ``[]``)."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}.{key}" if prefix else key
        found.add(path)
        for arg in _models_in(info.annotation):
            item = f"{path}[]" if _is_list(info.annotation) else path
            found |= _leaf_paths(arg, item)
    return found


def _is_list(annotation: object) -> bool:
    return any(typing.get_origin(a) is list for a in [annotation, *typing.get_args(annotation)])


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _covered(path: str) -> bool:
    """A question asks this field, one of its parts, or (for a dict) its entries."""
    asked = spec.questions_by_path()
    if ASKED_BY.get(path) in asked:
        return True
    return path in asked or any(p.startswith((path + ".", path + "[")) for p in asked)


def test_every_template_field_is_reachable_from_a_question() -> None:
    used = {v.champ_dossier for v in template_reference().variables if v.champ_dossier}
    assert "organisme.raison_sociale" in used  # the reference does list dossier fields
    missing = sorted(p for p in used if p not in NOT_ASKED and not _covered(p))
    assert missing == []


def test_every_model_field_is_reachable_from_a_question() -> None:
    paths = _leaf_paths(models.Dossier)
    assert "etablissements[].exercices[].etp" in paths
    missing = sorted(p for p in paths if p not in NOT_ASKED and not _covered(p))
    assert missing == []


def test_labels_are_french_sentences_not_paths() -> None:
    for path, question in spec.questions_by_path().items():
        title = question.title
        assert title[:1].isupper(), path
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\[\]|[a-z]\.[a-z]", title), (path, title)
        assert question.description is None or not re.search(
            r"\b[a-z]+_[a-z]+\b", question.description
        ), path


def test_choices_show_french_labels_never_keys() -> None:
    ref = load_referentiel()
    root = {"autorites": [{"id": "ars-93", "type": "ars", "nom": "ARS Île-de-France"}]}
    for section in spec.all_sections():
        scope = spec.Scope(root, {})
        for question in section.questions:
            for choice in question.options(scope):
                assert not re.search(r"\b[a-z]+[_-][a-z0-9]+\b", choice.title), choice
    categories = spec.question("etablissements[0].categorie").options(spec.Scope({}, {}))
    assert {c.value for c in categories} == set(ref.categories)
    autorite = spec.question("decisions[0].autorite").options(spec.Scope(root, {}))
    assert autorite == [spec.Choice("ars-93", "ARS Île-de-France")]


@pytest.mark.parametrize("typed", ["12/10/2026", "2026-10-12", " 12/10/2026 ", "12.10.2026"])
def test_dates_accept_french_and_iso_forms(typed: str) -> None:
    assert spec.question("decisions[0].date").check(typed) == date(2026, 10, 12)


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-13-01", "le 12 octobre"])
def test_impossible_dates_are_refused_in_french(typed: str) -> None:
    with pytest.raises(AnswerError, match="date invalide"):
        spec.question("decisions[0].date").check(typed)


def test_validation_is_the_model_field_type() -> None:
    q = spec.question("etablissements[0].finess")
    with pytest.raises(AnswerError, match="FINESS"):
        q.check("12")
    assert spec.question("etablissements[0].exercices[0].etp").check("3,5") == pytest.approx(3.5)


@pytest.mark.parametrize(
    ("answer", "stored"),
    [
        ("", None),
        ("aucun", []),
        ("gracieux", ["gracieux"]),
        ("gracieux,requete", ["gracieux", "requete"]),
        ("gracieux,recours_hierarchique", ["gracieux", "recours_hierarchique"]),
    ],
)
def test_the_document_choice_is_saved_in_the_decision(answer: str, stored: object) -> None:
    q = spec.question("decisions[0].documents")
    value = spec.value_of(q, answer, None, spec.Scope({}, {}))
    assert value == stored
    assert spec.answer_of(q, value) == answer
    data = {**_decision(), "documents": value}
    assert models.Decision.model_validate(data).documents == stored


@pytest.mark.parametrize(
    ("type_autorite", "offered"),
    [
        ("ars", True),  # the ministers of tutelle (referential, S1)
        ("prefet_region", False),  # superior not established (U)
        ("prefet_departement", False),
        ("conseil_departemental", False),  # no superior
    ],
)
def test_the_recours_hierarchique_is_offered_for_ars_decisions_only(
    type_autorite: str, offered: bool
) -> None:
    root = {"autorites": [{"id": "a-1", "type": type_autorite, "nom": "Autorité"}]}
    choices = spec.question("decisions[0].documents").options(spec.Scope(root, {"autorite": "a-1"}))
    values = [c.value for c in choices]
    assert ("gracieux,recours_hierarchique" in values) == offered
    assert values[-1] == "aucun"
    if offered:
        title = next(c.title for c in choices if c.value == "gracieux,recours_hierarchique")
        assert "recours hiérarchique aux ministres de tutelle" in title


def _decision() -> dict[str, object]:
    return {"autorite": "cd-72", "nature": "arrete_tarification", "date": "2026-10-12",
            "date_notification": "2026-10-20", "exercices": [2026]}  # fmt: skip


def test_when_conditions_follow_the_answers() -> None:
    section = spec.ETABLISSEMENTS
    root: dict[str, object] = {"etablissements": [{"methode": "cout_reel"}]}
    paths = [f.path for f in spec.page_fields(root, section, (0,))]
    assert "etablissements[0].coefficient_charges" not in paths
    root["etablissements"] = [
        {"methode": "etp", "financeurs": [{"autorite": "a"}, {"autorite": "b"}]}
    ]
    paths = [f.path for f in spec.page_fields(root, section, (0,))]
    assert "etablissements[0].coefficient_charges" in paths
    assert "etablissements[0].financeurs[1].part" in paths


def test_problems_are_placed_by_label_not_by_path() -> None:
    data = {
        "autorites": [{"id": "cd-72", "type": "conseil_departemental", "nom": "Département"}],
        "etablissements": [
            {
                "nom": "MECS Les Tilleuls",
                "methode": "etp",
                "financeurs": [{"autorite": "cd-72"}],
                "exercices": [{"annee": 2024}],
            }
        ],
    }
    assert spec.place(data, "etablissements[0].exercices[0].etp") == (
        "Exercice 2024 — ETP éligibles"
    )
    assert spec.place(data, "etablissements[0].finess") == (
        "MECS Les Tilleuls — Numéro FINESS de l'établissement (9 caractères)"
    )
    assert spec.place(data, "etablissements[0].exercices[0].financement_recu.cd-72") == (
        "Exercice 2024 — Financement déjà reçu de Département pour 2024 (en euros)"
    )


def _routes_root() -> dict[str, object]:
    return {
        "autorites": [
            {"id": "ars-93", "type": "ars", "nom": "ARS Île-de-France"},
            {"id": "cd-93", "type": "conseil_departemental", "nom": "Département"},
        ],
        "etablissements": [
            {"nom": "IME", "finess": "930000018", "financeurs": [{"autorite": "ars-93"}],
             "exercices": [{"annee": 2024}, {"annee": 2025}]},
            {"nom": "MECS", "finess": "930000026", "financeurs": [{"autorite": "cd-93"}],
             "exercices": [{"annee": 2026}]},
        ],
    }  # fmt: skip


def test_the_payer_is_required_for_an_ars_funding_only() -> None:
    root = _routes_root()
    section = spec.FINANCEMENTS_NOTIFIES
    root["financements_notifies"] = [{"autorite": "ars-93"}]
    fields = {f.path: f for f in spec.page_fields(root, section, (0,))}
    payeur = fields["financements_notifies[0].payeur"].question
    assert not payeur.is_optional and "caisse" in (payeur.description or "")
    assert "R.314-111" in (payeur.description or "")  # cited from the referential
    scope = spec.scope_for(root, section, (0,))
    assert [
        c.value for c in fields["financements_notifies[0].exercice"].question.options(scope)
    ] == [
        "2024",
        "2025",
    ]  # the years claimed from that authority
    with pytest.raises(AnswerError, match="champ obligatoire"):
        spec.value_of(payeur, " ", None, scope)
    root["financements_notifies"] = [{"autorite": "cd-93"}]
    fields = {f.path: f for f in spec.page_fields(root, section, (0,))}
    assert fields["financements_notifies[0].payeur"].question.is_optional
    assert "financements_notifies[0].payeur_adresse" not in fields  # no payer, no address
    root["financements_notifies"] = [{}]
    assert "financements_notifies[0].payeur" not in {
        f.path for f in spec.page_fields(root, section, (0,))
    }


def test_the_rejection_of_a_demande_is_asked_only_if_there_was_one() -> None:
    root = _routes_root()
    section = spec.DEMANDES_INDEMNITAIRES
    root["demandes_indemnitaires"] = [{"autorite": "cd-93", "rejet_explicite": None}]
    paths = [f.path for f in spec.page_fields(root, section, (0,))]
    assert "demandes_indemnitaires[0].rejet_explicite" in paths
    assert "demandes_indemnitaires[0].rejet_explicite.date_notification" not in paths
    root["demandes_indemnitaires"] = [{"autorite": "cd-93", "rejet_explicite": {}}]
    paths = [f.path for f in spec.page_fields(root, section, (0,))]
    assert "demandes_indemnitaires[0].rejet_explicite.voies_et_delais_mentionnes" in paths
    date_envoi = spec.question("demandes_indemnitaires[0].date_envoi")
    assert date_envoi.check("02/03/2026") == date(2026, 3, 2)
    with pytest.raises(AnswerError, match="date invalide"):
        date_envoi.check("31/02/2026")


def test_the_optional_lists_come_after_the_decisions_with_their_question() -> None:
    ids = [s.id for s in spec.SECTIONS]
    assert ids[ids.index("decisions") + 1 : ids.index("complements")] == [
        "demandes_indemnitaires",
        "financements_notifies",
        "mises_en_demeure",
    ]
    for section in spec.SECTIONS[ids.index("decisions") + 1 : ids.index("complements")]:
        assert section.ask_first and section.ask_first.endswith("?")
    root = _routes_root()
    root["financements_notifies"] = [
        {"autorite": "ars-93", "etablissement": "930000018", "exercice": 2025, "versements": [{}]}
    ]
    assert spec.place(root, "financements_notifies[0].versements[0].date") == (
        "Versement — Date du versement"
    )
    assert spec.place(root, "financements_notifies[0].montant_notifie") == (
        "Financement 2025 — IME — ARS Île-de-France — Montant notifié pour la mesure (en euros)"
    )


def test_answers_read_back_from_a_file_are_shown_the_french_way() -> None:
    # A dossier file parsed as text and numbers (the web form resumes from it): dates and
    # decimals as the user types them, never « 2026-07-20 » or « 2760.8 ».
    questions = spec.questions_by_path()
    date_q = questions["decisions[].date_notification"]
    assert spec.answer_of(date_q, "2026-07-20") == "20/07/2026"
    assert spec.answer_of(date_q, "pas une date") == "pas une date"
    assert spec.answer_of(questions["etablissements[].exercices[].etp"], 2.5) == "2,5"


def test_item_titles_show_dates_the_french_way() -> None:
    decisions = spec.section("decisions")
    scope = spec.Scope(
        root={"autorites": [{"id": "cd-72", "nom": "Département de la Sarthe"}]},
        item={"numero": "2026-ENF-0412", "date": "2026-10-12", "autorite": "cd-72"},
    )
    assert decisions.item_title is not None
    assert (
        decisions.item_title(scope)
        == "Décision 2026-ENF-0412 du 12/10/2026 — Département de la Sarthe"
    )
