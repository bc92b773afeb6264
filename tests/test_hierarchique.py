"""The recours hiérarchique (issue 11, route 3; voies-de-droit §5.1): what the analysis
plans and holds back, what the letter says (Word and PDF), and the deadline chain when both
the recours gracieux and the recours hiérarchique are rejected (CRPA L.411-2 al. 2)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docs_text import docx_paragraphs, normalise_pdf, pdf_text, squash
from recours.documents.generate import generate
from recours.dossier.models import Dossier
from recours.dossier.validation import load_yaml, validate_dossier
from recours.errors import DossierInvalidError
from recours.law.analysis import OPTION_HORS_DELAI, Analysis, PlannedDocument, analyse
from recours.law.procedure import deadline_input
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parent.parent
ARS = ROOT / "examples" / "multisite-ars-cpom.yaml"
PREFET = ROOT / "examples" / "chrs-prefet-region.yaml"
TODAY = date(2026, 11, 22)  # the ARS 2026 decision's initial delay ends on 28 Dec 2026
KIND = "recours_hierarchique"
NBSP = "\u00a0"
NNBSP = "\u202f"


def _raw(path: Path) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _dossier(data: dict[str, Any]) -> Dossier:
    return validate_dossier(copy.deepcopy(data), "test")


def _analysis(data: dict[str, Any], today: date = TODAY) -> Analysis:
    return analyse(_dossier(data), today, load_referentiel())


def _hierarchique(analysis: Analysis, index: int) -> PlannedDocument:
    found = [d for d in analysis.documents if d.kind == KIND and d.decisions == (index,)]
    assert len(found) == 1
    return found[0]


def _plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


# --- planning -------------------------------------------------------------------------


def test_not_in_the_default_plan_unless_the_dossier_asks_for_it() -> None:
    data = _raw(ARS)
    assert data["decisions"][0]["documents"] == ["gracieux", KIND]
    asked = _analysis(data)
    assert [d.decisions for d in asked.plan() if d.kind == KIND] == [(0,)]
    del data["decisions"][0]["documents"]
    default = _analysis(data)
    assert [d.kind for d in default.plan()] == ["gracieux", "gracieux"]
    # Still possible on request (--documents recours_hierarchique) for both ARS decisions.
    on_request = [d for d in default.plan([KIND]) if not d.refus()]
    assert [d.decisions for d in on_request] == [(0,), (1,)]


def test_ars_decision_in_time_beside_the_gracieux() -> None:
    analysis = _analysis(_raw(ARS))
    doc = _hierarchique(analysis, 0)
    assert doc.par_defaut and doc.dans_le_delai and doc.bloquants == ()
    assert doc.claim == analysis.decision(0).claim
    assert doc.claim.exercices == (2026,)
    warnings = " ".join(doc.avertissements)
    # The addressee is the referential's wording; the ministry is left to the user.
    assert "« Mesdames et Messieurs les ministres de tutelle de l'agence régionale" in warnings
    assert "complétez le ministère destinataire et son adresse" in warnings
    # Both recours within the initial delay, whose last day the analysis knows.
    assert "au plus tard le 28" in _plain(warnings)
    assert "CRPA, art. L.411-2, al. 2" in warnings
    # The gracieux stays in the plan beside it.
    assert any(d.kind == "gracieux" and 0 in d.decisions for d in analysis.plan())


def test_ars_decision_expired_is_held_back_unless_hors_delai() -> None:
    analysis = _analysis(_raw(ARS), today=date(2027, 1, 5))
    doc = _hierarchique(analysis, 0)
    assert [b.code for b in doc.bloquants] == ["hors_delai"]
    assert doc.bloquants[0].option == OPTION_HORS_DELAI
    assert "a expiré le 28" in _plain(doc.bloquants[0].texte)
    assert "--hors-delai" in doc.bloquants[0].texte
    assert doc.refus([OPTION_HORS_DELAI]) == ()
    assert not doc.dans_le_delai


def test_prefet_decision_is_held_back_superior_not_established() -> None:
    analysis = _analysis(_raw(PREFET), today=date(2026, 6, 20))
    doc = _hierarchique(analysis, 0)
    assert [b.code for b in doc.bloquants] == ["destinataire_incertain"]
    blocker = doc.bloquants[0]
    assert blocker.option is None  # no option lifts it
    assert doc.refus([OPTION_HORS_DELAI, "sans_avocat"]) == (blocker,)
    assert "préfet de région" in blocker.texte
    assert "n'est pas établi par les sources consultées (à vérifier)" in blocker.texte
    assert load_referentiel().recours_hierarchique["prefet_region"].confiance == "U"


def test_departement_decision_is_impossible_with_the_referentials_reason() -> None:
    analysis = _analysis(_raw(ARS))
    doc = _hierarchique(analysis, 2)  # cd-fam-2026, président du conseil départemental
    assert [b.code for b in doc.bloquants] == ["impossible"]
    assert doc.bloquants[0].option is None
    note = load_referentiel().recours_hierarchique["conseil_departemental"].note
    assert note is not None and " ".join(note.split()) in doc.bloquants[0].texte
    assert doc.avertissements == ()


def test_already_sent_is_held_back_and_counted_by_the_deadlines() -> None:
    data = _raw(ARS)
    data["decisions"][0]["recours_hierarchique"] = {"date_envoi": "2026-11-10"}
    analysis = _analysis(data)
    doc = _hierarchique(analysis, 0)
    assert [b.code for b in doc.bloquants] == ["deja_envoye"]
    assert not doc.par_defaut  # out of the plan the dossier asked for; refused on request
    assert doc.bloquants[0].option == OPTION_HORS_DELAI
    assert "déjà été envoyé le 10" in _plain(doc.bloquants[0].texte)
    assert "decisions[0].recours_hierarchique" in doc.bloquants[0].texte
    assert not doc.dans_le_delai
    state = analysis.decision(0).delais.recours_hierarchique
    assert state is not None and state.interruptif and state.retenu


def test_a_hierarchique_sent_to_a_prefet_is_not_said_to_be_counted() -> None:
    data = _raw(PREFET)
    data["decisions"][0]["recours_hierarchique"] = {"date_envoi": "2026-08-03"}
    analysis = _analysis(data, today=date(2026, 8, 20))
    doc = _hierarchique(analysis, 0)
    assert [b.code for b in doc.bloquants] == ["destinataire_incertain"]
    assert "n'est pas compté dans la date limite retenue" in doc.bloquants[0].texte
    state = analysis.decision(0).delais.recours_hierarchique
    assert state is not None and state.interruptif and not state.retenu


def test_dossier_rejects_a_hierarchique_before_the_decision_or_received_before_sent() -> None:
    data = _raw(ARS)
    data["decisions"][0]["recours_hierarchique"] = {
        "date_envoi": "2026-10-21",
        "date_reception": "2026-10-20",
    }
    with pytest.raises(DossierInvalidError) as caught:
        _dossier(data)
    assert "decisions[0].recours_hierarchique.date_reception : antérieure à la date d'envoi" in (
        str(caught.value)
    )
    data["decisions"][0]["recours_hierarchique"] = {"date_envoi": "2026-10-01"}
    with pytest.raises(DossierInvalidError) as caught:
        _dossier(data)
    assert "recours_hierarchique.date_envoi : antérieure à la date de la décision" in (
        str(caught.value)
    )


# --- the letter -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    folder = tmp_path_factory.mktemp("hierarchique")
    result = generate(_dossier(_raw(ARS)), sortie=folder, today=TODAY, documents=[KIND])
    files = {f.path.name: f.path for f in result.fichiers}
    # --documents: every ARS decision in time gets one; the département's is refused.
    stems = [f"recours-hierarchique_ars-notification-{y}_agence-regionale-de-sante-d-ile-de"
             for y in (2025, 2026)]  # fmt: skip
    assert sorted(files) == sorted(f"{s}.{fmt}" for s in stems for fmt in ("docx", "pdf"))
    assert [d.statut for d in result.documents] == ["genere", "genere", "refuse"]
    stem = stems[1]
    word = [_plain(p) for p in docx_paragraphs(files[f"{stem}.docx"])]
    pdf = _plain(normalise_pdf(pdf_text(files[f"{stem}.pdf"], footers=False)))
    return word, pdf


def test_letter_addressed_to_the_ministers_with_a_copy_to_the_dg_ars(
    letter: tuple[list[str], str],
) -> None:
    word, pdf = letter
    sup = load_referentiel().recours_hierarchique["ars"]
    assert sup.destinataire is not None and sup.formule_appel is not None
    assert sup.destinataire in word
    assert "[ministère destinataire et adresse à compléter]" in word
    assert f"{sup.formule_appel}," in word
    assert word.count(f"{sup.formule_appel},") == 1
    copie = next(p for p in word if p.startswith("Copie adressée"))
    assert copie == (
        "Copie adressée au directeur général de l'Agence régionale de santé Île-de-France "
        "(Direction de l'autonomie — pôle tarification), 10 rue de l'Exemple, 93200 Saint-Denis."
    )
    for text in (sup.destinataire, "à compléter]", "Copie adressée au directeur général"):
        assert text in pdf


def test_letter_claims_the_gracieux_amounts_and_grounds_for_its_decision(
    letter: tuple[list[str], str],
) -> None:
    word, pdf = letter
    body = "\n".join(word)
    assert "ARS-IDF-2026-DA-1187" in body and "ARS-IDF-2025-DA-0904" not in body
    # 2026 only: IME 20 890,00 + SESSAD 10 540,00 + FAM 7 072,00 (60 % ARS share).
    assert "Total | | | | 65 502,00 € | 27 000,00 € | 38 502,00 €" in word
    assert (
        "Le financement restant dû s'élève ainsi à 38 502,00 € (trente-huit mille cinq cent "
        "deux euros)." in word
    )
    assert "soit un financement complémentaire de 38 502,00 € au titre de l'exercice 2026." in body
    assert "réformer la décision précitée ou, à défaut, la retirer" in body
    assert "Crédits délégués aux ARS pour financer l'accord" in word
    assert "38 502,00 €" in pdf and "réformer la décision précitée" in pdf


def test_letter_states_the_delay_and_the_l411_2_rule_from_the_referential(
    letter: tuple[list[str], str],
) -> None:
    word, pdf = letter
    ref = load_referentiel()
    rule = " ".join(ref.article("crpa-l411-2-al2").objet.split())
    sentence = next(p for p in word if p.startswith("Le présent recours hiérarchique"))
    assert (
        "est formé dans le délai de recours contentieux, parallèlement au recours gracieux "
        "adressé au directeur général de l'Agence régionale de santé Île-de-France." in sentence
    )
    assert f"En application de l'{ref.article('crpa-l411-2-al2').reference}, " in sentence
    assert rule[:1].lower() + rule[1:] in sentence
    assert ref.article("csp-l1432-1").reference in "\n".join(word)
    assert "dans le délai de recours contentieux" in pdf


def test_word_and_pdf_carry_the_same_text(letter: tuple[list[str], str]) -> None:
    word, pdf = letter
    flat = squash(pdf)
    for paragraph in word:
        for cell in filter(None, (c.strip() for c in paragraph.split("|"))):
            assert squash(cell) in flat, cell


def test_out_of_time_letter_does_not_say_it_is_in_time(tmp_path: Path) -> None:
    data = _raw(ARS)
    data["decisions"][0]["recours_gracieux"] = {"date_envoi": "2026-11-02"}
    today = date(2027, 1, 5)
    dossier = _dossier(data)
    refused = generate(dossier, sortie=tmp_path / "a", today=today, documents=[KIND])
    assert [d.statut for d in refused.documents] == ["refuse", "refuse", "refuse"]
    result = generate(
        dossier, sortie=tmp_path / "b", today=today, documents=[KIND], hors_delai=True
    )
    docx = next(f.path for f in result.fichiers if f.format == "docx" and "2026" in f.path.name)
    body = _plain("\n".join(docx_paragraphs(docx)))
    assert "formé dans le délai" not in body
    assert "L.411-2" not in body
    assert "Un recours gracieux a été adressé le 2 novembre 2026 au directeur général" in body


def test_prefet_and_departement_letters_are_never_written(tmp_path: Path) -> None:
    result = generate(
        _dossier(_raw(PREFET)),
        sortie=tmp_path,
        today=date(2026, 6, 20),
        documents=[KIND],
        hors_delai=True,
        sans_avocat=True,
    )
    assert result.fichiers == []
    assert {d.statut for d in result.documents} == {"refuse"}


# --- deadline chain: both recours rejected (CRPA L.411-2 al. 2) ---------------------------

# Decision notified Monday 2 March 2026: initial delay ends Monday 4 May 2026 (2 May + 1,
# délai franc, Sunday 3 May -> Monday). Silence for two months after receipt is a rejection
# (CRPA L.411-7 for the hiérarchique; L.231-4 for the gracieux, both as the engine counts
# them); the requête delay runs two months franc from the LATER rejection (L.411-2 al. 2;
# CJA R.421-2), pushed to the next working day.
CHAIN = [
    pytest.param(
        "ars",
        {"date_envoi": "2026-03-10", "date_reception": "2026-03-12"},
        None,
        {"date_envoi": "2026-03-20", "date_reception": "2026-03-24"},
        ("2026-05-24", "rejet_implicite_hierarchique", "2026-07-27"),
        id="L.411-2 al.2 + L.411-7: hiérarchique rejected last (24 May, Sunday +2m+1 -> Mon 27 Jul)",
    ),
    pytest.param(
        "ars",
        {"date_envoi": "2026-03-10", "date_reception": "2026-03-12"},
        "2026-04-15",
        {"date_envoi": "2026-03-20", "date_reception": "2026-03-24"},
        ("2026-05-24", "rejet_implicite_hierarchique", "2026-07-27"),
        id="L.411-2 al.2: explicit gracieux rejection first does not start the delay",
    ),
    pytest.param(
        "ars",
        {"date_envoi": "2026-03-10", "date_reception": "2026-03-12"},
        None,
        {"date_envoi": "2026-03-20", "date_reception": "2026-03-24",
         "date_rejet_explicite": "2026-04-01"},
        ("2026-05-12", "rejet_implicite", "2026-07-13"),
        id="L.411-2 al.2 + L.231-4: gracieux rejected last (12 May +2m = Sun 12 Jul +1 -> 13 Jul)",
    ),
    pytest.param(
        "prefet_region",
        {"date_envoi": "2026-03-10", "date_reception": "2026-03-12"},
        None,
        {"date_envoi": "2026-03-20", "date_reception": "2026-03-24"},
        ("2026-05-12", "rejet_implicite", "2026-07-13"),
        id="voies-de-droit §5.1 [U]: préfet's superior uncertain, the hiérarchique not counted",
    ),
    pytest.param(
        "ars",
        {"date_envoi": "2026-03-10", "date_reception": "2026-03-12"},
        None,
        {"date_envoi": "2026-05-05", "date_reception": "2026-05-06"},
        ("2026-05-12", "rejet_implicite", "2026-07-13"),
        id="L.411-2 al.2: hiérarchique posted after the initial delay (4 May) does not count",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("type_autorite", "gracieux", "rejet", "hierarchique", "expected"), CHAIN)
def test_deadline_chain_when_both_are_rejected(
    type_autorite: str,
    gracieux: dict[str, str],
    rejet: str | None,
    hierarchique: dict[str, str],
    expected: tuple[str, str, str],
) -> None:
    data = _raw(ARS)
    data["autorites"][0]["type"] = type_autorite
    decision = data["decisions"][0]
    decision.update(date="2026-02-20", date_notification="2026-03-02")
    decision["recours_gracieux"] = gracieux
    decision["recours_hierarchique"] = hierarchique
    if rejet:
        decision["rejet_explicite"] = {"date_notification": rejet}
    analysis = _analysis(data, today=date(2026, 6, 1))
    d = analysis.decision(0)
    # The dossier's record reaches the engine (procedure.deadline_input).
    inp = deadline_input(analysis.dossier, d.decision)
    assert inp.envoi_hierarchique == date.fromisoformat(hierarchique["date_envoi"])
    assert inp.type_autorite == type_autorite
    assert d.delais.recours_gracieux.date_limite == date(2026, 5, 4)
    contentieux = d.delais.recours_contentieux
    depart, evenement, limite = expected
    assert contentieux.point_de_depart == date.fromisoformat(depart)
    assert contentieux.evenement == evenement
    assert contentieux.date_limite == date.fromisoformat(limite)
    state = d.delais.recours_hierarchique
    assert state is not None
    assert state.retenu == (type_autorite == "ars" and hierarchique["date_envoi"] < "2026-05-05")
