"""The questionnaire flow, driven by a prompter that replays scripted answers.

Each scripted answer names the question it answers (its dossier path), so a test fails
at the first question asked out of turn, and ``prompter.asked`` is the exact list of
questions asked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docs_text import docx_paragraphs
from recours.dossier.models import Etablissement, Exercice, Organisme
from recours.dossier.validation import load_dossier, read_dossier_file
from recours.formatting import montant, pourcentage
from recours.questionnaire.flow import (
    AnswerError,
    Choice,
    DossierStore,
    PreviousQuestion,
    check_field,
    dump_dossier,
    is_in_progress,
    run,
)

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = date(2026, 4, 1)

DEFAULT = object()  # accept the proposed default
INTERRUPT = object()  # Ctrl-C at this question
BACK = object()  # the « précédent » key at this question


class ScriptedPrompter:
    """Replays (question path, answer) pairs; records questions, defaults and output."""

    def __init__(self, script: Sequence[tuple[str, Any]]) -> None:
        self.script = list(script)
        self.asked: list[str] = []
        self.defaults: dict[str, Any] = {}
        self.choices: dict[str, list[str]] = {}
        self.said: list[str] = []
        self.errors: list[str] = []

    def _next(self, name: str, default: Any) -> Any:
        self.asked.append(name)
        self.defaults[name] = default
        assert self.script, f"question non prévue : {name}"
        expected, answer = self.script.pop(0)
        assert expected == name, f"question posée : {name!r} ; le script attendait {expected!r}"
        if answer is INTERRUPT:
            raise KeyboardInterrupt
        if answer is BACK:
            raise PreviousQuestion
        return default if answer is DEFAULT else answer

    def text(
        self, message: str, *, name: str, default: str = "", instruction: str | None = None
    ) -> str:
        return str(self._next(name, default))

    multiline = text

    def select(
        self, message: str, choices: Sequence[Choice], *, name: str, default: str | None = None
    ) -> str:
        self.choices[name] = [c.value for c in choices]
        answer = self._next(name, default)
        assert answer in self.choices[name], f"{name} : {answer!r} n'est pas proposé"
        return str(answer)

    autocomplete = select

    def checkbox(
        self, message: str, choices: Sequence[Choice], *, name: str, default: Sequence[str] = ()
    ) -> list[str]:
        self.choices[name] = [c.value for c in choices]
        return list(self._next(name, list(default)))

    def confirm(self, message: str, *, name: str, default: bool = True) -> bool:
        return bool(self._next(name, default))

    def say(self, text: str = "") -> None:
        self.said.append(text)

    def error(self, text: str) -> None:
        self.errors.append(text)

    @property
    def output(self) -> str:
        return "\n".join(self.said)


# --------------------------------------------------------------------- script pieces


def adresse(path: str, voie: str, code_postal: str, commune: str) -> list[tuple[str, Any]]:
    return [
        (f"{path}.voie", voie),
        (f"{path}.complement", ""),
        (f"{path}.code_postal", code_postal),
        (f"{path}.commune", commune),
    ]


def organisme(siren: str = "778899112") -> list[tuple[str, Any]]:
    return [
        ("organisme.raison_sociale", "Association Les Tilleuls"),
        ("organisme.forme_juridique", DEFAULT),
        ("organisme.siren", siren),
        ("organisme.siret", ""),
        ("organisme.rna", ""),
        *adresse("organisme.siege", "1 rue des Tilleuls", "72000", "Le Mans"),
        ("organisme.representant_legal.civilite", "Madame"),
        ("organisme.representant_legal.nom", "Claire Martin"),
        ("organisme.representant_legal.qualite", "présidente"),
        ("organisme.signataire", False),
        ("organisme.contact", False),
    ]


def autorite(
    index: int, type_: str, nom: Any, code_postal: str, commune: str
) -> list[tuple[str, Any]]:
    p = f"autorites[{index}]"
    return [
        (f"{p}.type", type_),
        (f"{p}.nom", nom),
        (f"{p}.service", ""),
        (f"{p}.civilite_titulaire", ""),
        *adresse(f"{p}.adresse", "1 place de l'Exemple", code_postal, commune),
        (f"{p}.departement", DEFAULT),
    ]


def sarthe() -> list[tuple[str, Any]]:
    """The one authority of the MECS: the département de la Sarthe."""
    return [
        *autorite(0, "conseil_departemental", "Département de la Sarthe", "72000", "Le Mans"),
        ("autorites.menu", "terminer"),
    ]


def mecs_start(finess: str = "720000011") -> list[tuple[str, Any]]:
    """A MECS in the Sarthe, funded by the département (the only authority: not asked)."""
    p = "etablissements[0]"
    return [
        (f"{p}.nom", "MECS Les Tilleuls"),
        (f"{p}.finess", finess),
        (f"{p}.categorie", "mecs"),
        *adresse(f"{p}.adresse", "3 chemin des Prés", "72000", "Le Mans"),
        (f"{p}.departement", DEFAULT),
        (f"{p}.regime_budgetaire", DEFAULT),
    ]


def exercice(i: int, j: int, annee: Any, quantity: tuple[str, str], *recu: str) -> list[Any]:
    p = f"etablissements[{i}].exercices[{j}]"
    key, value = quantity
    answers: list[Any] = [(f"{p}.annee", annee), (f"{p}.mois", DEFAULT), (f"{p}.{key}", value)]
    for aid in recu:
        answers.append((f"{p}.financement_recu.{aid}", DEFAULT))
    return answers


# The facts of the grounds asked for a decision, by the regime of its établissements.
FAITS_CONTRADICTOIRE = ("propositions_budgetaires_mesure", "abattement_sans_contradictoire")
FAITS_CPOM = ("cpom_clause_revision", "etablissements_comparables")


def decision(
    index: int = 0,
    date_: str = "2026-03-10",
    notification: str = "2026-03-15",
    gracieux: list[tuple[str, Any]] | None = None,
    exercices: bool = False,
    faits: Sequence[str] = FAITS_CONTRADICTOIRE,
) -> list[tuple[str, Any]]:
    p = f"decisions[{index}]"
    answers: list[tuple[str, Any]] = [
        (f"{p}.nature", DEFAULT),
        (f"{p}.numero", "2026-ENF-0412"),
        (f"{p}.date", date_),
        (f"{p}.date_notification", notification),
        (f"{p}.objet", ""),
        *([(f"{p}.exercices", DEFAULT)] if exercices else []),
        (f"{p}.voies_et_delais_mentionnes", DEFAULT),
        *[(f"{p}.faits.{fait}.reponse", DEFAULT) for fait in faits],
        (f"{p}.recours_gracieux", gracieux is not None),
    ]
    return answers + (gracieux or [])


def complements(
    avocat: list[tuple[str, Any]] | None = None, faits: str = "", pieces: Sequence[str] = ()
) -> list[tuple[str, Any]]:
    """The "compléments" section: no lawyer unless ``avocat`` gives its answers."""
    return [
        *(avocat or [("avocat", False)]),
        ("faits_complementaires", faits),
        ("pieces_complementaires", "\n".join(pieces)),
        ("reference", ""),
        ("lieu_signature", DEFAULT),
        ("date_document", DEFAULT),
    ]


def avocat() -> list[tuple[str, Any]]:
    return [
        ("avocat", True),
        ("avocat.nom", "Maître Camille Fontaine"),
        ("avocat.barreau", "Nantes"),
        *adresse("avocat.adresse", "30 rue de l'Exemple", "44000", "Nantes"),
        ("avocat.telephone", "02 00 00 00 03"),
        ("avocat.courriel", ""),
        ("avocat.toque", "B 123"),
    ]


def ending(
    revue: str = "generer",
    documents: Any = DEFAULT,
    extra: list[tuple[str, Any]] | None = None,
) -> list[tuple[str, Any]]:
    """The stage step (the document choice, when a document is still possible), the
    compléments and the review."""
    answers: list[tuple[str, Any]] = []
    if documents is not None:
        answers.append(("decisions[0].documents", documents))
    return [
        *answers,
        *NO_OTHER_STEPS,
        *(extra if extra is not None else complements()),
        ("revue", revue),
    ]


# The optional lists asked after the stage step, answered « non » (nothing sent yet, no
# funding notified).
NO_OTHER_STEPS: list[tuple[str, Any]] = [
    ("demandes_indemnitaires.oui", False),
    ("financements_notifies.oui", False),
    ("mises_en_demeure.oui", False),
]


def mecs_script(method: list[tuple[str, Any]], quantity: tuple[str, str]) -> list[Any]:
    return [
        *organisme(),
        *sarthe(),
        *mecs_start(),
        *method,
        *exercice(0, 0, DEFAULT, quantity, "cd-72"),
        ("etablissements[0].exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
        *decision(),
        ("decisions.menu", "terminer"),
    ]


def run_script(
    tmp_path: Path,
    script: Sequence[tuple[str, Any]],
    *,
    today: date = TODAY,
    data: dict[str, Any] | None = None,
    path: Path | None = None,
) -> tuple[Any, ScriptedPrompter, Path]:
    prompter = ScriptedPrompter(script)
    target = path or tmp_path / "dossier.yaml"
    outcome = run(
        prompter,
        DossierStore(target),
        today=today,
        sortie=tmp_path / "documents",
        data=data,
        formats=("docx",),
        # As the CLI does for --reprendre: the file's header says whether it is in progress.
        in_progress=data is not None and is_in_progress(target),
    )
    assert prompter.script == [], f"réponses non utilisées : {prompter.script}"
    return outcome, prompter, target


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


# ----------------------------------------------------------------- one field at a time


def test_check_field_keeps_the_annotated_validators() -> None:
    assert check_field(Organisme, "siren", "778 899 112") == "778899112"
    assert check_field(Exercice, "etp", "1,5") == Decimal("1.5")
    assert check_field(Etablissement, "departement", "7") == "07"
    with pytest.raises(AnswerError, match=r"^SIREN invalide : 9 chiffres attendus"):
        check_field(Organisme, "siren", "778899113")
    with pytest.raises(AnswerError, match=r"^doit être inférieur ou égal à 12$"):
        check_field(Exercice, "mois", "13")
    with pytest.raises(AnswerError, match=r"^au plus 2 décimales$"):
        check_field(Exercice, "cout_reel", "10,001")


# ------------------------------------------------------------------------ branching


@pytest.mark.parametrize(
    ("method", "quantity", "cost_line"),
    [
        (
            [
                ("etablissements[0].methode", "etp"),
                ("etablissements[0].coefficient_charges", "1,5"),
            ],
            ("etp", "2"),
            "2 ETP × 238 € × 12 mois × 1,5 = " + montant(Decimal("8568")),
        ),
        (
            [("etablissements[0].methode", "cout_unitaire")],
            ("etp", "2"),
            "2 ETP × 5\u202f270 € × 12 mois / 12 = " + montant(Decimal("10540")),
        ),
        (
            [("etablissements[0].methode", "cout_reel")],
            ("cout_reel", "12 345,60"),
            "coût réel issu de la paie = " + montant(Decimal("12345.60")),
        ),
    ],
    ids=["etp", "cout_unitaire", "cout_reel"],
)
def test_single_authority_each_method(
    tmp_path: Path, method: list[tuple[str, Any]], quantity: tuple[str, str], cost_line: str
) -> None:
    outcome, prompter, path = run_script(tmp_path, [*mecs_script(method, quantity), *ending()])

    # The cost is shown as soon as the exercise is answered, before the next question.
    shown = f"  → Coût 2024 : {cost_line}"
    assert shown in prompter.said
    assert prompter.asked.index("etablissements[0].exercices.menu") > prompter.asked.index(
        "etablissements[0].exercices[0].financement_recu.cd-72"
    )
    # Defaults: département from the FINESS, regime from the category, 12 months.
    assert prompter.defaults["etablissements[0].departement"] == "72"
    assert prompter.defaults["etablissements[0].regime_budgetaire"] == "procedure_contradictoire"
    assert prompter.defaults["etablissements[0].exercices[0].mois"] == "12"
    # One authority only: it is the établissement's and the decision's, said, not asked;
    # no share question.
    assert "Autorités de tarification de l'établissement : Département de la Sarthe" in (
        prompter.said
    )
    assert "Autorité qui a pris la décision : Département de la Sarthe" in prompter.said
    assert "etablissements[0].financeurs" not in prompter.asked
    assert "decisions[0].autorite" not in prompter.asked
    assert not any(".part" in name for name in prompter.asked)
    # The document choice comes once the deadlines are shown; the tool's plan by default,
    # which is the recours gracieux while it is open.
    assert prompter.asked.index("decisions[0].documents") > prompter.asked.index("decisions.menu")
    assert prompter.choices["decisions[0].documents"] == [
        "",
        "gracieux",
        "requete",
        "gracieux,requete",
        "aucun",
    ]
    assert prompter.defaults["decisions[0].documents"] == ""
    assert "Documents à générer : recours gracieux" in prompter.said

    assert outcome.statut == "genere"
    dossier = load_dossier(path)
    assert dossier.organisme.raison_sociale == "Association Les Tilleuls"
    assert dossier.etablissements[0].methode == method[0][1]
    assert [f.path.name for f in outcome.result.fichiers] == [
        "recours-gracieux_departement-de-la-sarthe.docx"
    ]
    assert "Association Les Tilleuls" in _docx_text(outcome.result.fichiers[0].path)
    text = path.read_text(encoding="utf-8")
    assert "null" not in text  # the final file has no "answered nothing" markers


def fam_script(shares: list[tuple[str, Any]]) -> list[Any]:
    p = "etablissements[0]"
    return [
        *organisme(),
        *autorite(0, "ars", "Agence régionale de santé d'Île-de-France", "93200", "Saint-Denis"),
        ("autorites.menu", "ajouter"),
        *autorite(
            1, "conseil_departemental", "Département de la Seine-Saint-Denis", "93000", "Bobigny"
        ),
        ("autorites.menu", "terminer"),
        (f"{p}.nom", "FAM Le Belvédère"),
        (f"{p}.finess", "930000034"),
        (f"{p}.categorie", "fam"),
        *adresse(f"{p}.adresse", "40 rue du Belvédère", "93100", "Montreuil"),
        (f"{p}.departement", DEFAULT),
        (f"{p}.regime_budgetaire", DEFAULT),
        (f"{p}.financeurs", DEFAULT),
        *shares,
        *exercice(0, 0, DEFAULT, ("cout_reel", "10000"), "ars-93", "cd-93"),
        (f"{p}.exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
        ("decisions[0].autorite", "cd-93"),
        *decision(faits=FAITS_CPOM),
    ]


def test_cofinanced_fam_asks_shares_and_reasks_when_they_do_not_sum_to_100(
    tmp_path: Path,
) -> None:
    p = "etablissements[0].financeurs"
    shares = [
        (f"{p}[0].part", "60"),
        (f"{p}[1].part", "30"),
        ("etablissements[0].methode", "cout_reel"),
        # Once the établissement is answered, its cross-field rules: any answer can change.
        ("etablissements[0].corriger", f"{p}[1].part"),
        (f"{p}[1].part", "40"),
    ]
    script = [*fam_script(shares), ("decisions.menu", "terminer"), *ending(revue="quitter")]
    outcome, prompter, path = run_script(tmp_path, script)

    # Both authorities the referential gives for a FAM are proposed.
    assert prompter.defaults["etablissements[0].financeurs"] == ["ars-93", "cd-93"]
    assert prompter.defaults["autorites[1].nom"] == "Conseil départemental"
    assert prompter.errors == [
        "Autorités de tarification de l'établissement : la somme des parts fait 90 % au lieu "
        "de 100 %"
    ]
    # The share to correct is proposed again as typed.
    assert prompter.defaults[f"{p}[1].part"] == "30"
    assert f"{p}[1].part" in prompter.choices["etablissements[0].corriger"]
    assert outcome.statut == "enregistre"
    dossier = load_dossier(path)
    assert [(f.autorite, f.part) for f in dossier.etablissements[0].financeurs] == [
        ("ars-93", Decimal(60)),
        ("cd-93", Decimal(40)),
    ]
    # Cost split at once, and the review lists the amounts per authority.
    share = f"Agence régionale de santé d'Île-de-France ({pourcentage(Decimal(60))}) : dû 6"
    assert any(share in s for s in prompter.said)
    review = prompter.said[prompter.said.index("════ Récapitulatif du dossier ════") :]
    assert "Montants par autorité :" in review
    assert any(line.startswith("  - Département de la Seine-Saint-Denis : dû 4") for line in review)
    assert any(line.startswith("  Total : dû 10") for line in review)
    assert "Dossier enregistré dans" in prompter.output
    assert "recours nouveau --reprendre" in prompter.output


def test_recours_gracieux_sent_and_rejected_proposes_the_requete(tmp_path: Path) -> None:
    gracieux = [
        ("decisions[0].recours_gracieux.date_envoi", "2026-01-05"),
        ("decisions[0].recours_gracieux.date_reception", "2026-01-07"),
        ("decisions[0].recours_gracieux.accuse_reception_conforme", "oui"),
        ("decisions[0].rejet_explicite", True),
        ("decisions[0].rejet_explicite.date_notification", "2026-03-02"),
    ]
    script = [
        *mecs_script(
            [("etablissements[0].methode", "cout_unitaire")],
            ("etp", "2"),
        )[: -len(decision()) - 1],
        *decision(date_="2025-12-01", notification="2025-12-04", gracieux=gracieux),
        ("decisions.menu", "terminer"),
        *ending(),
    ]
    outcome, prompter, _ = run_script(tmp_path, script)

    assert (
        "  Recours gracieux envoyé le 5 janvier 2026 : il a interrompu le délai de recours contentieux."
        in prompter.said
    )
    assert any(
        s.startswith("  Requête au tribunal administratif : à enregistrer au plus tard le")
        for s in prompter.said
    )
    assert outcome.statut == "genere"
    assert [f.document for f in outcome.result.fichiers] == ["requete"]


def test_expired_deadlines_say_so_and_what_remains(tmp_path: Path) -> None:
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))[
            : -len(decision()) - 1
        ],
        *decision(date_="2025-01-06", notification="2025-01-10"),
        ("decisions.menu", "terminer"),
        *ending(documents=None),
    ]
    outcome, prompter, path = run_script(tmp_path, script)

    assert "decisions[0].documents" not in prompter.asked
    out = prompter.output
    assert (
        "  Recours gracieux : délai EXPIRÉ le mardi 11 mars 2025 ; un recours gracieux n'est plus possible."
        in prompter.said
    )
    assert (
        "  Requête au tribunal administratif : délai EXPIRÉ le mardi 11 mars 2025." in prompter.said
    )
    assert "  Ce qui reste possible :" in prompter.said
    assert "aucun document ne peut plus être utilement préparé" in out
    assert outcome.statut == "enregistre"
    assert not (tmp_path / "documents").exists()
    assert load_dossier(path).decisions[0].date_notification == date(2025, 1, 10)


# --------------------------------------------------------------- invalid answers


def test_invalid_answers_get_the_french_message_and_the_question_again(tmp_path: Path) -> None:
    script = organisme(siren="123456789")
    script.insert(3, ("organisme.siren", "778 899 112"))
    body = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))
    body = body[len(organisme()) :]
    finess_at = body.index(("etablissements[0].finess", "720000011"))
    body[finess_at] = ("etablissements[0].finess", "72-12")
    body.insert(finess_at + 1, ("etablissements[0].finess", "720000011"))
    month_at = body.index(("etablissements[0].exercices[0].mois", DEFAULT))
    body[month_at] = ("etablissements[0].exercices[0].mois", "13")
    body.insert(month_at + 1, ("etablissements[0].exercices[0].mois", "6"))
    date_at = body.index(("decisions[0].date_notification", "2026-03-15"))
    body[date_at] = ("decisions[0].date_notification", "2026-03-01")
    # A rule across fields, once the decision is answered: the date to correct is proposed.
    menu_at = body.index(("decisions.menu", "terminer"))
    body[menu_at:menu_at] = [
        ("decisions[0].corriger", DEFAULT),
        ("decisions[0].date_notification", "2026-03-15"),
    ]
    _, prompter, path = run_script(tmp_path, [*script, *body, *ending(revue="quitter")])

    assert prompter.errors == [
        "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte",
        "FINESS invalide : 9 caractères attendus, commençant par le code du département "
        "(ex. 750012345, 2A0001234)",
        "doit être inférieur ou égal à 12",
        "Date à laquelle elle vous a été notifiée (réception) : antérieure à la date de la "
        "décision",
    ]
    assert prompter.defaults["decisions[0].corriger"] == "decisions[0].date_notification"
    assert prompter.defaults["decisions[0].date_notification"] == "01/03/2026"
    # The wrong answer is proposed again, to be corrected rather than retyped.
    assert prompter.asked.count("organisme.siren") == 2
    assert prompter.defaults["etablissements[0].exercices[0].mois"] == "13"
    dossier = load_dossier(path)
    assert dossier.organisme.siren == "778899112"
    assert dossier.etablissements[0].exercices[0].mois == 6


def test_departement_must_match_the_finess(tmp_path: Path) -> None:
    script = [*organisme(), *sarthe(), *mecs_start()]
    at = script.index(("etablissements[0].departement", DEFAULT))
    script[at] = ("etablissements[0].departement", "75")
    script += [
        ("etablissements[0].methode", "cout_unitaire"),
        # Once the établissement is answered: the problem, and any answer can be changed.
        ("etablissements[0].corriger", "etablissements[0].departement"),
        ("etablissements[0].departement", "72"),
        ("etablissements[0].exercices[0].annee", INTERRUPT),
    ]
    outcome, prompter, _ = run_script(tmp_path, script)
    assert prompter.errors == [
        "Numéro FINESS de l'établissement (9 caractères) : le FINESS 720000011 ne "
        "correspond pas au département 75"
    ]
    assert prompter.defaults["etablissements[0].corriger"] == "etablissements[0].finess"
    assert outcome.statut == "interrompu"


def test_a_finess_that_contradicts_the_departement_can_be_corrected(tmp_path: Path) -> None:
    """No dead end: the FINESS typed earlier can be changed instead of the département."""
    script = [*organisme(), *sarthe(), *mecs_start(finess="750000000")]
    at = script.index(("etablissements[0].departement", DEFAULT))
    script[at] = ("etablissements[0].departement", "72")
    script += [
        ("etablissements[0].methode", "cout_unitaire"),
        ("etablissements[0].corriger", "etablissements[0].finess"),
        ("etablissements[0].finess", "720000011"),
        ("etablissements[0].exercices[0].annee", INTERRUPT),
    ]
    outcome, prompter, path = run_script(tmp_path, script)
    assert outcome.statut == "interrompu"
    assert prompter.errors == [
        "Numéro FINESS de l'établissement (9 caractères) : le FINESS 750000000 ne "
        "correspond pas au département 72"
    ]
    assert prompter.defaults["etablissements[0].finess"] == "750000000"  # the typed one
    data, _ = read_dossier_file(path)
    assert (data["etablissements"][0]["finess"], data["etablissements"][0]["departement"]) == (
        "720000011",
        "72",
    )


# ------------------------------------------------------------------- review and edit


def test_review_edits_a_section_and_comes_back(tmp_path: Path) -> None:
    org_edit = [(name, DEFAULT) for name, _ in organisme()]
    org_edit[0] = ("organisme.raison_sociale", "Association Les Grands Tilleuls")
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="organisme"),
        *org_edit,
        ("revue", "etablissements"),
        ("etablissements.menu", "modifier:0"),
        *[
            (name, DEFAULT)
            for name in (
                "etablissements[0].nom",
                "etablissements[0].finess",
                "etablissements[0].categorie",
                "etablissements[0].adresse.voie",
                "etablissements[0].adresse.complement",
                "etablissements[0].adresse.code_postal",
                "etablissements[0].adresse.commune",
                "etablissements[0].departement",
                "etablissements[0].regime_budgetaire",
                "etablissements[0].methode",
            )
        ],
        ("etablissements[0].exercices.menu", "modifier:0"),
        ("etablissements[0].exercices[0].annee", DEFAULT),
        ("etablissements[0].exercices[0].mois", DEFAULT),
        ("etablissements[0].exercices[0].etp", "3"),
        ("etablissements[0].exercices[0].financement_recu.cd-72", "1000"),
        ("etablissements[0].exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
        # The deadlines are shown again; the document choice stays as answered.
        ("revue", "generer"),
    ]
    outcome, prompter, path = run_script(tmp_path, script)

    # Edit mode proposes every current answer as the default.
    assert prompter.defaults["organisme.siren"] == "778899112"
    assert prompter.defaults["etablissements[0].finess"] == "720000011"
    assert prompter.asked.count("revue") == 3
    reviews = [i for i, s in enumerate(prompter.said) if s == "════ Récapitulatif du dossier ════"]
    assert len(reviews) == 3
    last = prompter.said[reviews[-1] :]
    assert any("Association Les Grands Tilleuls" in s for s in last)
    amounts = f"  - Département de la Sarthe : dû {montant(Decimal(15810))}, reçu {montant(Decimal(1000))}"
    assert any(s.startswith(amounts) for s in last)
    assert outcome.statut == "genere"
    dossier = load_dossier(path)
    assert dossier.organisme.raison_sociale == "Association Les Grands Tilleuls"
    assert dossier.etablissements[0].exercices[0].financement_recu == {"cd-72": Decimal(1000)}


def test_list_menu_adds_and_removes_etablissements(tmp_path: Path) -> None:
    p = "etablissements[1]"
    second = [
        (f"{p}.nom", "Foyer de l'enfance"),
        (f"{p}.finess", "720000029"),
        (f"{p}.categorie", "foyer_enfance"),
        *adresse(f"{p}.adresse", "5 rue Haute", "72100", "Le Mans"),
        (f"{p}.departement", DEFAULT),
        (f"{p}.regime_budgetaire", DEFAULT),
        (f"{p}.methode", "cout_reel"),
        *exercice(1, 0, DEFAULT, ("cout_reel", "5000"), "cd-72"),
        (f"{p}.exercices.menu", "terminer"),
    ]
    body = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))
    at = body.index(("etablissements.menu", "terminer"))
    body[at:at] = [
        ("etablissements.menu", "ajouter"),
        *second,
        ("etablissements.menu", "supprimer:0"),
    ]
    _outcome, prompter, path = run_script(tmp_path, [*body, *ending(revue="quitter")])

    # The menu after the removal: one item left, which cannot be removed.
    assert prompter.choices["etablissements.menu"] == ["ajouter", "modifier:0", "terminer"]
    assert prompter.asked.count("etablissements.menu") == 3
    assert "Supprimé : MECS Les Tilleuls" in prompter.said
    dossier = load_dossier(path)
    assert [e.nom for e in dossier.etablissements] == ["Foyer de l'enfance"]
    assert [a.id for a in dossier.autorites] == ["cd-72"]


# ----------------------------------------------------------------------- compléments


def mecs_requete(extra: list[tuple[str, Any]], revue: str = "generer") -> list[Any]:
    """The MECS flow, choosing the requête, with the given "compléments" answers."""
    return [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue=revue, documents="requete", extra=extra),
    ]


def review_lines(prompter: ScriptedPrompter, nth: int = -1) -> list[str]:
    starts = [i for i, s in enumerate(prompter.said) if s == "════ Récapitulatif du dossier ════"]
    start = starts[nth]
    end = starts[nth + 1] if nth != -1 and nth + 1 < len(starts) else len(prompter.said)
    return prompter.said[start:end]


@pytest.mark.parametrize("with_lawyer", [True, False], ids=["avocat", "sans-avocat"])
def test_lawyer_branching_and_the_requete_block(tmp_path: Path, with_lawyer: bool) -> None:
    extra = complements(avocat() if with_lawyer else None)
    outcome, prompter, path = run_script(tmp_path, mecs_requete(extra))

    section = prompter.asked[prompter.asked.index("decisions[0].documents") + 1 :]
    lawyer = [
        "avocat",
        "avocat.nom",
        "avocat.barreau",
        "avocat.adresse.voie",
        "avocat.adresse.complement",
        "avocat.adresse.code_postal",
        "avocat.adresse.commune",
        "avocat.telephone",
        "avocat.courriel",
        "avocat.toque",
    ]
    assert section == [
        *(name for name, _ in NO_OTHER_STEPS),
        *(lawyer if with_lawyer else ["avocat"]),
        "faits_complementaires",
        "pieces_complementaires",
        "reference",
        "lieu_signature",
        "date_document",
        "revue",
    ]
    assert prompter.defaults["avocat"] is False  # no lawyer unless said so
    assert prompter.defaults["lieu_signature"] == "Le Mans"  # the siège's commune
    assert outcome.statut == "genere"
    dossier = load_dossier(path)
    paragraphs = docx_paragraphs(outcome.result.fichiers[0].path)
    block = [p for p in paragraphs if p.startswith("Ayant pour avocat :")]
    if with_lawyer:
        assert dossier.avocat is not None
        assert (dossier.avocat.barreau, dossier.avocat.toque) == ("Nantes", "B 123")
        assert dossier.avocat.courriel is None
        assert block == [
            "Ayant pour avocat : Maître Camille Fontaine, avocat au barreau de Nantes, "
            "30 rue de l'Exemple, 44000 Nantes, toque B 123, tél. 02 00 00 00 03."
        ]
        assert (
            "Avocat : Maître Camille Fontaine, barreau de Nantes, 44000 Nantes, toque B 123, "
            "tél. 02 00 00 00 03"
        ) in review_lines(prompter)
    else:
        assert dossier.avocat is None
        assert block == []
        assert "Avocat : aucun" in review_lines(prompter)
    text = path.read_text(encoding="utf-8")
    assert "null" not in text
    assert "pieces_complementaires" not in text  # no empty list in the final file


def test_multi_line_faits_refuse_control_characters_and_keep_line_breaks(
    tmp_path: Path,
) -> None:
    extra = complements()
    at = extra.index(("faits_complementaires", ""))
    extra[at : at + 1] = [
        ("faits_complementaires", "Première ligne\x07\nDeuxième ligne"),
        ("faits_complementaires", "Première ligne\r\nDeuxième ligne\n"),
    ]
    outcome, prompter, path = run_script(tmp_path, mecs_requete(extra))

    assert prompter.errors == ["caractère de contrôle interdit (U+0007) à la position 15"]
    assert prompter.asked.count("faits_complementaires") == 2
    # The refused text is proposed again, to be corrected rather than retyped.
    assert prompter.defaults["faits_complementaires"] == "Première ligne\x07\nDeuxième ligne"
    assert load_dossier(path).faits_complementaires == "Première ligne\nDeuxième ligne"
    assert "faits_complementaires: |-\n  Première ligne\n  Deuxième ligne\n" in path.read_text(
        encoding="utf-8"
    )
    review = review_lines(prompter)
    at = review.index("Faits complémentaires (2 lignes) :")
    assert review[at + 1 : at + 3] == ["  | Première ligne", "  | Deuxième ligne"]
    import docx

    xml = docx.Document(str(outcome.result.fichiers[0].path)).element.xml
    assert re.search(r"Première ligne</w:t>\s*<w:br/>\s*<w:t[^>]*>Deuxième ligne</w:t>", xml), (
        "the line break of the faits complémentaires is lost in the requête"
    )


def test_extra_enclosures_are_typed_one_per_line(tmp_path: Path) -> None:
    titles = ["Procès-verbal du conseil d'administration", "Rapport 2025"]
    extra = complements(pieces=titles)
    extra.insert(
        extra.index(("pieces_complementaires", "\n".join(titles))),
        ("pieces_complementaires", f"{titles[0]}\nRapport\x01 2025\n\n"),
    )
    outcome, prompter, path = run_script(tmp_path, mecs_requete(extra))

    assert prompter.asked.count("pieces_complementaires") == 2
    assert prompter.errors == ["caractère de contrôle interdit (U+0001) à la position 8"]
    # The refused lines are proposed again, to be corrected rather than retyped.
    assert prompter.defaults["pieces_complementaires"] == f"{titles[0]}\nRapport\x01 2025\n\n"
    assert load_dossier(path).pieces_complementaires == titles
    review = review_lines(prompter)
    at = review.index("Pièces jointes supplémentaires :")
    assert review[at + 1 : at + 3] == [f"  - {t}" for t in titles]
    paragraphs = docx_paragraphs(outcome.result.fichiers[0].path)
    assert any(p.endswith(": Rapport 2025") for p in paragraphs)


def test_review_edits_the_complements(tmp_path: Path) -> None:
    first_edit = [
        *avocat(),
        ("faits_complementaires", "Les propositions budgétaires incluaient la mesure."),
        ("pieces_complementaires", "Pièce A"),
        ("reference", ""),
        ("lieu_signature", "Paris"),
        ("date_document", "20/11/2026"),
    ]
    second_edit = [
        *[(name, DEFAULT) for name, _ in avocat()],
        ("faits_complementaires", DEFAULT),
        ("pieces_complementaires", "Pièce B"),  # Pièce A is removed
        ("reference", DEFAULT),
        ("lieu_signature", DEFAULT),
        ("date_document", DEFAULT),
    ]
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="complements"),
        *first_edit,
        ("revue", "complements"),
        *second_edit,
        ("revue", "quitter"),
    ]
    outcome, prompter, path = run_script(tmp_path, script)

    assert prompter.choices["revue"][:-1] == [
        "generer",
        "organisme",
        "autorites",
        "etablissements",
        "decisions",
        "demandes_indemnitaires",
        "financements_notifies",
        "mises_en_demeure",
        "complements",
        "etape",
        "champ",
    ]
    first, second, third = (review_lines(prompter, n) for n in range(3))
    assert "Avocat : aucun" in first
    assert "Faits complémentaires : aucun" in first
    assert "Pièces jointes supplémentaires : aucune" in first
    assert "Lieu de signature : Le Mans" in first
    assert any(line.startswith("Avocat : Maître Camille Fontaine") for line in second)
    assert "  - Pièce A" in second
    assert "Lieu de signature : Paris" in second
    assert "  - Pièce B" in third and "  - Pièce A" not in third
    # Editing proposes every current answer again.
    assert prompter.defaults["avocat"] is True
    assert prompter.defaults["avocat.nom"] == "Maître Camille Fontaine"
    assert prompter.defaults["faits_complementaires"] == (
        "Les propositions budgétaires incluaient la mesure."
    )
    assert prompter.defaults["lieu_signature"] == "Paris"
    assert prompter.defaults["pieces_complementaires"] == "Pièce A"
    assert prompter.defaults["date_document"] == "20/11/2026"  # French form, as typed
    assert outcome.statut == "enregistre"
    dossier = load_dossier(path)
    assert dossier.avocat is not None and dossier.avocat.nom == "Maître Camille Fontaine"
    assert dossier.pieces_complementaires == ["Pièce B"]
    assert dossier.lieu_signature == "Paris"


@pytest.mark.parametrize(
    ("extra", "stop", "saved"),
    [
        (
            complements(avocat(), faits="Un fait.", pieces=["Pièce A"]),
            "avocat.adresse.code_postal",
            {"avocat": {"nom": "Maître Camille Fontaine", "barreau": "Nantes"}},
        ),
        (
            complements(faits="Un fait.\nUn autre.", pieces=["Pièce A"]),
            "faits_complementaires",
            {"avocat": None},
        ),
    ],
    ids=["dans-l-avocat", "apres-sans-avocat"],
)
def test_resume_in_the_middle_of_the_complements_asks_only_what_is_missing(
    tmp_path: Path, extra: list[tuple[str, Any]], stop: str, saved: dict[str, Any]
) -> None:
    script = mecs_requete(extra)
    at = [name for name, _ in script].index(stop)
    outcome, prompter, path = run_script(tmp_path, [*script[:at], (stop, INTERRUPT)])
    assert outcome.statut == "interrompu"
    assert is_in_progress(path)
    data, _ = read_dossier_file(path)
    for key, value in saved.items():
        assert key in data
        if isinstance(value, dict):
            assert value.items() <= data[key].items()
        else:
            assert data[key] == value  # an explicit "no lawyer" is remembered
    assert "faits_complementaires" not in data

    # The deadlines are computed again (a half-answered lawyer does not hide them), then
    # only the questions not answered yet.
    resumed = script[at:]
    outcome, prompter, _ = run_script(tmp_path, resumed, data=data, path=path)
    assert prompter.asked == [name for name, _ in resumed]
    assert "avocat" not in prompter.asked
    assert outcome.statut == "genere"
    dossier = load_dossier(path)
    assert dossier.pieces_complementaires == ["Pièce A"]
    assert (dossier.avocat is None) == (saved["avocat"] is None)
    assert "null" not in path.read_text(encoding="utf-8")


# ------------------------------------------------------------ interrupt and resume


def test_ctrl_c_keeps_the_answers_and_says_how_to_resume(tmp_path: Path) -> None:
    full = [*mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")), *ending()]
    stop = full.index(("etablissements[0].finess", "720000011"))
    outcome, prompter, path = run_script(
        tmp_path, [*full[:stop], ("etablissements[0].finess", INTERRUPT)]
    )

    assert outcome.statut == "interrompu"
    assert f"Pour reprendre : recours nouveau --reprendre {path}" in prompter.output
    data, _ = read_dossier_file(path)
    assert data["organisme"]["raison_sociale"] == "Association Les Tilleuls"
    assert data["etablissements"] == [{"nom": "MECS Les Tilleuls"}]
    assert path.read_text(encoding="utf-8").startswith("# Dossier en cours de saisie")

    # Resuming asks exactly the questions that were not answered.
    outcome, prompter, _ = run_script(tmp_path, full[stop:], data=data, path=path)
    assert prompter.asked == [name for name, _ in full[stop:]]
    assert outcome.statut == "genere"


def test_resume_a_partial_dossier_asks_only_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "partiel.yaml"
    shutil.copy(DATA / "questionnaire_partiel.yaml", path)
    data, _ = read_dossier_file(path)
    script = [
        # Asked with the organisme now; absent from the file the old questionnaire wrote.
        ("organisme.signataire", False),
        ("etablissements[0].coefficient_charges", "1,45"),
        ("etablissements[0].exercices[1].etp", "3,5"),
        ("etablissements[0].exercices[1].financement_recu.cd-72", "4000"),
        ("etablissements[0].exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
        *decision(exercices=True),
        ("decisions.menu", "terminer"),
        *ending(revue="quitter"),
    ]
    _outcome, prompter, _ = run_script(tmp_path, script, data=data, path=path)

    assert prompter.asked == [name for name, _ in script]
    assert prompter.said[0] == (
        f"Reprise du dossier {path} : seules les questions manquantes sont posées."
    )
    dossier = load_dossier(path)
    assert dossier.etablissements[0].coefficient_charges == Decimal("1.45")
    assert [e.etp for e in dossier.etablissements[0].exercices] == [Decimal("3.2"), Decimal("3.5")]


def test_resume_a_complete_dossier_goes_to_the_review(tmp_path: Path) -> None:
    path = tmp_path / "mecs.yaml"
    shutil.copy(EXAMPLES / "mecs-conseil-departemental.yaml", path)
    data, _ = read_dossier_file(path)
    outcome, prompter, _ = run_script(
        tmp_path,
        [
            ("decisions[0].documents", DEFAULT),
            ("decisions[1].documents", DEFAULT),
            ("revue", "quitter"),
        ],
        data=data,
        path=path,
        today=date(2026, 11, 25),
    )
    # The stage step: the documents to prepare, decision by decision.
    assert prompter.asked == ["decisions[0].documents", "decisions[1].documents", "revue"]
    assert outcome.statut == "enregistre"
    assert not is_in_progress(EXAMPLES / "mecs-conseil-departemental.yaml")

    # Saved from the review without generating: no longer "en cours de saisie", so its
    # missing optional answers (no lawyer, no extra enclosure…) are not asked next time.
    assert path.read_text(encoding="utf-8").startswith(
        "# Dossier enregistré par recours nouveau, documents non générés. Pour reprendre :\n"
    )
    assert not is_in_progress(path)
    data, _ = read_dossier_file(path)
    _, prompter, _ = run_script(
        tmp_path, [("revue", "quitter")], data=data, path=path, today=date(2026, 11, 25)
    )
    # The document choice is saved (the tool's plan): not asked again.
    assert prompter.asked == ["revue"]


def test_resume_reasks_a_value_the_model_now_refuses(tmp_path: Path) -> None:
    path = tmp_path / "partiel.yaml"
    data, _ = read_dossier_file(DATA / "questionnaire_partiel.yaml")
    data["organisme"]["siren"] = "123456789"
    script = [
        ("organisme.siren", "778899112"),
        ("organisme.signataire", INTERRUPT),
    ]
    outcome, prompter, _ = run_script(tmp_path, script, data=data, path=path)
    assert prompter.errors == [
        "SIREN (9 chiffres) : SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte"
    ]
    assert prompter.defaults["organisme.siren"] == "123456789"
    assert outcome.statut == "interrompu"


# --------------------------------------------------------------------------- storage


def test_saved_file_has_schema_modeline_and_reloads(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "dossier.schema.json").write_text("{}", encoding="utf-8")
    path = tmp_path / "sous-dossier" / "d.yaml"
    path.parent.mkdir()
    data = {"organisme": {"raison_sociale": "A & B", "siret": None}, "x": Decimal("1.50")}
    text = dump_dossier(data, path)
    assert text.startswith("# yaml-language-server: $schema=../schemas/dossier.schema.json\n")
    assert "siret: null" in text
    assert "x: 1.50" in text
    final = dump_dossier(data, path, final=True)
    assert "null" not in final
    assert "en cours de saisie" not in final


# ------------------------------------------------------------------------------- CLI


def test_without_a_terminal_points_to_recours_generer(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recours", "nouveau"],
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "besoin d'un terminal interactif" in result.stderr
    assert "recours generer DOSSIER" in result.stderr
    assert not (tmp_path / "dossier.yaml").exists()


def test_cli_imports_stay_light() -> None:
    code = (
        "import sys, recours.cli.main; "
        "heavy = [m for m in ('questionary', 'prompt_toolkit', 'docxtpl', 'weasyprint', 'fastapi', 'starlette', 'uvicorn') "
        "if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


# ------------------------------------------------------- précédent, dates, one-field edit


def test_previous_key_asks_the_last_answer_again(tmp_path: Path) -> None:
    script = organisme()
    script.insert(2, ("organisme.siren", BACK))  # « précédent » at the SIREN
    script.insert(3, ("organisme.forme_juridique", "association déclarée"))
    script.insert(4, ("organisme.siren", BACK))
    script.insert(5, ("organisme.forme_juridique", BACK))
    script.insert(6, ("organisme.raison_sociale", "Association Les Grands Tilleuls"))
    script.insert(7, ("organisme.forme_juridique", DEFAULT))
    script = [*script, ("autorites[0].type", INTERRUPT)]
    outcome, prompter, path = run_script(tmp_path, script)
    assert outcome.statut == "interrompu"
    # Going back proposes the answer given; the questions after it are asked again.
    assert prompter.defaults["organisme.raison_sociale"] == "Association Les Tilleuls"
    assert prompter.defaults["organisme.forme_juridique"] == "association déclarée"
    data, _ = read_dossier_file(path)
    assert data["organisme"]["raison_sociale"] == "Association Les Grands Tilleuls"
    assert data["organisme"]["siren"] == "778899112"
    assert any("Page précédente" in line for line in prompter.said)  # documented on screen


def test_previous_key_on_the_first_question_says_so(tmp_path: Path) -> None:
    script = [("organisme.raison_sociale", BACK), ("organisme.raison_sociale", INTERRUPT)]
    _, prompter, _ = run_script(tmp_path, script)
    assert prompter.errors == ["Pas de question précédente : c'est la première."]


def test_dates_are_typed_the_french_way(tmp_path: Path) -> None:
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="quitter"),
    ]
    at = script.index(("decisions[0].date", "2026-03-10"))
    script[at] = ("decisions[0].date", "31/02/2026")  # impossible: asked again
    script.insert(at + 1, ("decisions[0].date", "10/03/2026"))
    script[script.index(("decisions[0].date_notification", "2026-03-15"))] = (
        "decisions[0].date_notification",
        "15/03/2026",
    )
    # Proposed again from the review, the date is written the French way.
    script[-1:] = [
        ("revue", "champ"),
        ("revue.champ", "decisions[0].date"),
        ("decisions[0].date", DEFAULT),
        ("revue", "quitter"),
    ]
    outcome, prompter, path = run_script(tmp_path, script)
    assert outcome.statut == "enregistre"
    assert "date invalide « 31/02/2026 » : format attendu JJ/MM/AAAA ou AAAA-MM-JJ" in (
        prompter.errors
    )
    assert prompter.defaults["decisions[0].date"] == "10/03/2026"
    dossier = load_dossier(path)
    assert (dossier.decisions[0].date, dossier.decisions[0].date_notification) == (
        date(2026, 3, 10),
        date(2026, 3, 15),
    )


def test_review_edits_one_field_found_by_its_label(tmp_path: Path) -> None:
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="champ"),
        ("revue.champ", "organisme.representant_legal.qualite"),
        ("organisme.representant_legal.qualite", "trésorière"),
        ("revue", "champ"),
        ("revue.champ", "organisme.contact"),
        ("organisme.contact", True),  # a group opened: its fields are asked, nothing else
        ("organisme.contact.nom", "Karim Benali"),
        ("organisme.contact.telephone", ""),
        ("organisme.contact.courriel", ""),
        ("revue", "quitter"),
    ]
    outcome, prompter, path = run_script(tmp_path, script)
    assert outcome.statut == "enregistre"
    assert prompter.defaults["organisme.representant_legal.qualite"] == "présidente"
    # The choices are labelled in French with their current value, never as paths.
    assert "organisme.representant_legal.qualite" in prompter.choices["revue.champ"]
    dossier = load_dossier(path)
    assert dossier.organisme.representant_legal.qualite == "trésorière"
    assert dossier.organisme.contact is not None
    assert dossier.organisme.contact.nom == "Karim Benali"


def test_the_document_choice_is_saved_in_the_dossier(tmp_path: Path) -> None:
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="quitter", documents="gracieux,requete"),
    ]
    _, _, path = run_script(tmp_path, script)
    assert load_dossier(path).decisions[0].documents == ["gracieux", "requete"]
    # Resumed, the saved choice is kept, and proposed again when changed from the review.
    data, _ = read_dossier_file(path)
    _, prompter, _ = run_script(
        tmp_path,
        [("revue", "etape"), ("decisions[0].documents", DEFAULT), ("revue", "quitter")],
        data=data,
        path=path,
    )
    assert prompter.defaults["decisions[0].documents"] == "gracieux,requete"
    assert any("recours gracieux, requête" in line for line in prompter.said)


def test_the_tool_s_own_plan_is_saved_as_no_choice(tmp_path: Path) -> None:
    script = [
        *mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2")),
        *ending(revue="quitter"),
    ]
    _, _, path = run_script(tmp_path, script)
    assert load_dossier(path).decisions[0].documents is None


# ------------------------------------------------------- the spec, all of it, in the terminal


def test_the_terminal_asks_the_facts_of_the_grounds_when_their_condition_holds(
    tmp_path: Path,
) -> None:
    fact = "decisions[0].faits.abattement_sans_contradictoire"
    piece = "Rapport budgétaire de l'autorité du 2 février 2026"
    script = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))
    at = script.index((f"{fact}.reponse", DEFAULT))
    script[at : at + 1] = [(f"{fact}.reponse", "oui"), (f"{fact}.piece", piece)]
    _, prompter, path = run_script(tmp_path, [*script, *ending(revue="quitter")])

    # A MECS under the contradictory procedure: its facts are asked with the decision, in
    # French, as the web form asks them (both from the spec); the piece only after « oui ».
    assert prompter.asked.index(f"{fact}.reponse") < prompter.asked.index("decisions.menu")
    assert prompter.choices[f"{fact}.reponse"] == ["oui", "non", "inconnu"]
    assert prompter.defaults[f"{fact}.reponse"] == "inconnu"
    assert "decisions[0].faits.propositions_budgetaires_mesure.piece" not in prompter.asked
    assert not any("cpom_clause_revision" in name for name in prompter.asked)
    faits = load_dossier(path).decisions[0].faits
    assert (
        faits["abattement_sans_contradictoire"].reponse,
        faits["abattement_sans_contradictoire"].piece,
    ) == ("oui", piece)
    assert faits["propositions_budgetaires_mesure"].reponse == "inconnu"

    # The établissement changes regime from the review: the facts of the contradictory
    # procedure no longer apply (their answers are dropped), those of a CPOM are asked.
    data, _ = read_dossier_file(path)
    resumed = [
        ("revue", "champ"),
        ("revue.champ", "etablissements[0].regime_budgetaire"),
        ("etablissements[0].regime_budgetaire", "cpom_eprd"),
        *[(f"decisions[0].faits.{fait}.reponse", "non") for fait in FAITS_CPOM],
        ("decisions.menu", "terminer"),
        ("revue", "quitter"),
    ]
    run_script(tmp_path, resumed, data=data, path=path)
    dossier = load_dossier(path)
    assert {k: v.reponse for k, v in dossier.decisions[0].faits.items()} == {
        "cpom_clause_revision": "non",
        "etablissements_comparables": "non",
    }


class BookPrompter(ScriptedPrompter):
    """Answers by question path, in any order: the given answer (a list: one per time the
    question is asked), else the proposed default."""

    def __init__(self, book: dict[str, Any]) -> None:
        super().__init__([])
        self.book = {k: list(v) if isinstance(v, list) else [v] for k, v in book.items()}

    def _next(self, name: str, default: Any) -> Any:
        self.asked.append(name)
        self.defaults[name] = default
        assert self.asked.count(name) < 6, f"question reposée sans fin : {name}"
        answers = self.book.get(name)
        if not answers:
            return default
        return answers.pop(0) if len(answers) > 1 else answers[0]


def _addresses(prefix: str, voie: str, code_postal: str, commune: str) -> dict[str, str]:
    return {
        f"{prefix}.voie": voie,
        f"{prefix}.code_postal": code_postal,
        f"{prefix}.commune": commune,
    }


# A dossier that opens every branch of the spec: a signatory and a contact, two authorities
# of the Rhône (the collectivité question), a co-funded FAM costed by ETP (shares,
# coefficient) under a CPOM and a MECS costed from the payroll under the contradictory
# procedure with two exercises, one decision for both (établissements and exercices asked,
# the facts of both regimes answered « oui »), a recours gracieux rejected, a lawyer.
FULL_BOOK: dict[str, Any] = {
    "organisme.raison_sociale": "Association Les Tilleuls",
    "organisme.siren": "778899112",
    **_addresses("organisme.siege", "1 rue des Tilleuls", "69003", "Lyon"),
    "organisme.representant_legal.nom": "Claire Martin",
    "organisme.representant_legal.qualite": "présidente",
    "organisme.signataire": True,
    "organisme.signataire.nom": "Paul Durand",
    "organisme.signataire.qualite": "directeur général",
    "organisme.signataire.delegation": "délégation du conseil d'administration du 12 mars 2025",
    "organisme.contact": True,
    "organisme.contact.nom": "Karim Benali",
    "autorites[0].type": "conseil_departemental",
    "autorites[0].nom": "Métropole de Lyon",
    **_addresses("autorites[0].adresse", "20 rue du Lac", "69003", "Lyon"),
    "autorites[0].collectivite": "69M",
    "autorites[1].type": "ars",
    "autorites[1].nom": "Agence régionale de santé Auvergne-Rhône-Alpes",
    **_addresses("autorites[1].adresse", "241 rue Garibaldi", "69003", "Lyon"),
    "autorites.menu": ["ajouter", "terminer"],
    "etablissements[0].nom": "FAM Le Belvédère",
    "etablissements[0].finess": "690000011",
    "etablissements[0].categorie": "fam",
    **_addresses("etablissements[0].adresse", "40 rue du Belvédère", "69100", "Villeurbanne"),
    "etablissements[0].financeurs[0].part": "60",
    "etablissements[0].financeurs[1].part": "40",
    "etablissements[0].methode": "etp",
    "etablissements[0].coefficient_charges": "1,45",
    "etablissements[0].exercices[0].etp": "2",
    "etablissements[1].nom": "MECS Les Tilleuls",
    "etablissements[1].finess": "690000029",
    "etablissements[1].categorie": "mecs",
    **_addresses("etablissements[1].adresse", "3 chemin des Prés", "69100", "Villeurbanne"),
    "etablissements[1].methode": "cout_reel",
    "etablissements[1].exercices[0].cout_reel": "5000",
    "etablissements[1].exercices[1].cout_reel": "6000",
    "etablissements[1].exercices.menu": ["ajouter", "terminer"],
    "etablissements.menu": ["ajouter", "terminer"],
    "decisions[0].autorite": "cd-69",
    "decisions[0].date": "01/12/2025",
    "decisions[0].date_notification": "04/12/2025",
    **{
        f"decisions[0].faits.{fait}.{key}": value
        for fait in (*FAITS_CONTRADICTOIRE, *FAITS_CPOM)
        for key, value in (("reponse", "oui"), ("piece", f"Pièce sur {fait}"))
    },
    "decisions[0].recours_gracieux": True,
    "decisions[0].recours_gracieux.date_envoi": "05/01/2026",
    "decisions[0].recours_gracieux.date_reception": "07/01/2026",
    "decisions[0].rejet_explicite": True,
    "decisions[0].rejet_explicite.date_notification": "02/03/2026",
    # A decision of the DG ARS: the recours hiérarchique already sent is asked for it only.
    "decisions.menu": ["ajouter", "terminer"],
    "decisions[1].autorite": "ars-69",
    "decisions[1].date": "15/01/2026",
    "decisions[1].date_notification": "20/01/2026",
    "decisions[1].recours_hierarchique": True,
    "decisions[1].recours_hierarchique.date_envoi": "10/02/2026",
    "decisions[1].recours_hierarchique.date_reception": "12/02/2026",
    "decisions[1].recours_hierarchique.accuse_reception_conforme": "non",
    # A demande indemnitaire rejected in writing, a funding notified and partly paid, and
    # the mise en demeure sent for the rest.
    "demandes_indemnitaires.oui": True,
    "demandes_indemnitaires[0].autorite": "cd-69",
    "demandes_indemnitaires[0].date_envoi": "02/02/2026",
    "demandes_indemnitaires[0].date_reception": "04/02/2026",
    "demandes_indemnitaires[0].rejet_explicite": True,
    "demandes_indemnitaires[0].rejet_explicite.date_notification": "10/03/2026",
    "financements_notifies.oui": True,
    "financements_notifies[0].autorite": "cd-69",
    "financements_notifies[0].date_notification": "15/01/2026",
    "financements_notifies[0].montant_notifie": "1000",
    "financements_notifies[0].payeur": "Paierie de la Métropole",
    "financements_notifies[0].payeur_adresse": True,
    **_addresses(
        "financements_notifies[0].payeur_adresse", "1 place de l'Exemple", "69003", "Lyon"
    ),
    "financements_notifies[0].versements.menu": ["ajouter", "terminer"],
    "financements_notifies[0].versements[0].date": "20/01/2026",
    "financements_notifies[0].versements[0].montant": "400",
    "mises_en_demeure.oui": True,
    "mises_en_demeure[0].autorite": "cd-69",
    "mises_en_demeure[0].payeur": "Paierie de la Métropole",
    "mises_en_demeure[0].date_envoi": "01/03/2026",
    "avocat": True,
    "avocat.nom": "Maître Camille Fontaine",
    "avocat.barreau": "Lyon",
    **_addresses("avocat.adresse", "30 rue de l'Exemple", "69002", "Lyon"),
    "faits_complementaires": "Un fait.",
    "pieces_complementaires": "Pièce A",
    "revue": "quitter",
}


def test_every_question_of_the_spec_is_asked_by_the_terminal(tmp_path: Path) -> None:
    """The terminal hard-codes no question and leaves none out: a dossier that opens every
    branch is asked every question of the spec, and the file is a valid dossier."""
    from recours.questionnaire import spec

    prompter = BookPrompter(FULL_BOOK)
    path = tmp_path / "dossier.yaml"
    outcome = run(prompter, DossierStore(path), today=TODAY, sortie=tmp_path / "documents")
    assert outcome.statut == "enregistre"
    expected = set(spec.questions_by_path())
    asked = set()
    for name in prompter.asked:
        generic = spec.generic(name)
        # An expanded question (financing received from each authority) by its spec path.
        parent = generic.rsplit(".", 1)[0]
        asked.add(parent if generic not in expected and parent in expected else generic)
    assert expected - asked == set(), "questions de la spec jamais posées dans le terminal"
    assert asked - expected == {
        "autorites.menu",
        "etablissements.menu",
        "etablissements[].exercices.menu",
        "decisions.menu",
        "demandes_indemnitaires.oui",
        "demandes_indemnitaires.menu",
        "financements_notifies.oui",
        "financements_notifies.menu",
        "financements_notifies[].versements.menu",
        "mises_en_demeure.oui",
        "mises_en_demeure.menu",
        "revue",
    }
    dossier = load_dossier(path)
    assert dossier.autorites[0].collectivite == "69M"
    assert dossier.decisions[0].etablissements == []  # both: stored as « tous »
    assert dossier.organisme.signataire is not None
    hierarchique = dossier.decisions[1].recours_hierarchique
    assert hierarchique is not None and str(hierarchique.date_reception) == "2026-02-12"
    assert dossier.decisions[0].recours_hierarchique is None  # not asked for a département
    [demande] = dossier.demandes_indemnitaires
    assert demande.rejet_explicite is not None
    assert str(demande.rejet_explicite.date_notification) == "2026-03-10"
    [financement] = dossier.financements_notifies
    assert financement.reste_du == 600 and financement.payeur == "Paierie de la Métropole"
    assert [m.autorite for m in dossier.mises_en_demeure] == ["cd-69"]


def test_previous_key_goes_back_across_sections_and_items(tmp_path: Path) -> None:
    script = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))
    # At the first question of the authorities, back to the last one of the organisme;
    # at the first question of the decision, back into the établissement's exercise.
    at = script.index(("autorites[0].type", "conseil_departemental"))
    script[at:at] = [("autorites[0].type", BACK), ("organisme.contact", DEFAULT)]
    at = script.index(("decisions[0].nature", DEFAULT))
    script[at:at] = [
        ("decisions[0].nature", BACK),
        ("etablissements[0].exercices[0].financement_recu.cd-72", "500"),
        ("etablissements[0].exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
    ]
    outcome, prompter, path = run_script(tmp_path, [*script, *ending(revue="quitter")])
    assert outcome.statut == "enregistre"
    assert prompter.errors == []
    # The answer given is proposed again.
    assert prompter.defaults["etablissements[0].exercices[0].financement_recu.cd-72"] == "0"
    recu = load_dossier(path).etablissements[0].exercices[0].financement_recu
    assert recu == {"cd-72": Decimal(500)}


def test_two_exercises_of_the_same_year_are_refused_where_they_are_typed(
    tmp_path: Path,
) -> None:
    script = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))
    at = script.index(("etablissements[0].exercices.menu", "terminer"))
    script[at:at] = [
        ("etablissements[0].exercices.menu", "ajouter"),
        *exercice(0, 1, "2024", ("etp", "3"), "cd-72"),
        ("etablissements[0].exercices[1].corriger", "etablissements[0].exercices[1].annee"),
        ("etablissements[0].exercices[1].annee", "2025"),
    ]
    at = script.index(("decisions[0].voies_et_delais_mentionnes", DEFAULT))
    script.insert(at, ("decisions[0].exercices", ["2025"]))
    _, prompter, path = run_script(tmp_path, [*script, *ending(revue="quitter")])
    # Said once the exercise is answered, and its year can be changed at once.
    assert prompter.errors == ["un même exercice figure deux fois"]
    p = "etablissements[0].exercices[1]"
    at = prompter.asked.index(f"{p}.financement_recu.cd-72")
    assert prompter.asked[at + 1 : at + 3] == [f"{p}.corriger", f"{p}.annee"]
    assert [e.annee for e in load_dossier(path).etablissements[0].exercices] == [2024, 2025]


def test_a_section_added_to_the_spec_is_asked_without_changing_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any section of the spec is walked: an optional repeated one (the dossier needs none
    of its items) is proposed, not forced, and an item added is asked question by question."""
    from recours.dossier.models import MiseEnDemeure
    from recours.questionnaire import spec

    section = spec.Section(
        "mises_en_demeure",
        "Mises en demeure de payer",
        "mises_en_demeure[]",
        (
            spec.Question(
                "autorite", MiseEnDemeure, "autorite", kind="select", choices=spec._autorites
            ),
            spec.Question("payeur", MiseEnDemeure, "payeur"),
            spec.Question("date_envoi", MiseEnDemeure, "date_envoi", kind="date"),
        ),
        item_noun="une mise en demeure",
    )
    # The spec's own mises en demeure section is replaced by this one, asked right after
    # the decisions (and without its yes/no first question: the list menu is offered).
    others = [s for s in spec.SECTIONS if s.id != "mises_en_demeure"]
    at = [s.id for s in others].index("decisions") + 1
    monkeypatch.setattr(spec, "SECTIONS", (*others[:at], section, *others[at:]))
    base = mecs_script([("etablissements[0].methode", "cout_unitaire")], ("etp", "2"))

    # The stage step stays after the decisions; the new section comes next.
    stage, *rest = [a for a in ending(revue="quitter") if a[0] != "mises_en_demeure.oui"]
    _, prompter, path = run_script(
        tmp_path, [*base, stage, ("mises_en_demeure.menu", "terminer"), *rest]
    )
    assert prompter.choices["mises_en_demeure.menu"] == ["ajouter", "terminer"]
    data, _ = read_dossier_file(path)
    assert data["mises_en_demeure"] == []  # answered "none": not asked again on resume

    script = [
        *base,
        stage,
        ("mises_en_demeure.menu", "ajouter"),
        ("mises_en_demeure[0].payeur", "Paierie départementale de la Sarthe"),
        ("mises_en_demeure[0].date_envoi", "02/02/2026"),
        ("mises_en_demeure.menu", "terminer"),
        *[a for a in ending()[1:] if a[0] != "mises_en_demeure.oui"],
    ]
    outcome, prompter, path = run_script(tmp_path, script, path=tmp_path / "autre.yaml")
    # One authority: said, not asked.
    assert "mises_en_demeure[0].autorite" not in prompter.asked
    assert outcome.statut == "genere"
    (mise,) = load_dossier(path).mises_en_demeure
    assert (mise.autorite, mise.payeur, mise.date_envoi) == (
        "cd-72",
        "Paierie départementale de la Sarthe",
        date(2026, 2, 2),
    )
