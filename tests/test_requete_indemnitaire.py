"""The requête indemnitaire after a rejected demande préalable (issue 11, route 1): what the
analysis plans or holds back on each link of the claim chain, the lawyer and court rules,
and the document itself, read by its text in Word and PDF.

Sources of the cases (voies-de-droit.md §2, §8): implicit rejection two months after receipt
(CRPA L.231-4 3°, L.114-3); the delay to go to court runs from an express rejection notified
with voies et délais (CJA R.421-1, R.421-5), or from the implicit rejection only if the
acknowledgment carried the R.112-5 mentions (CJA R.421-2; CE avis 30 Jan. 2019 n° 420797);
otherwise no delay and no Czabaj year (CE 17 June 2019 n° 413097), only the prescription
quadriennale (loi n° 68-1250). Lawyer: CJA R.431-2, except a collectivité defendant (R.431-3
5°).
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docs_text import amounts, dates, docx_paragraphs, normalise_pdf, pdf_text, squash
from recours.cli.main import main
from recours.documents.generate import generate
from recours.dossier.models import Dossier
from recours.dossier.validation import load_dossier, load_yaml, validate_dossier
from recours.errors import DossierInvalidError
from recours.law.analysis import Analysis, PlannedDocument, analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parent.parent
DEPARTEMENT = ROOT / "examples" / "rejet-indemnitaire-departement.yaml"
ETAT = ROOT / "examples" / "chrs-prefet-region.yaml"
ARS = ROOT / "examples" / "multisite-ars-cpom.yaml"
TODAY = date(2026, 11, 22)
NBSP, NNBSP = "\u00a0", "\u202f"


def _raw(path: Path) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _dossier(data: dict[str, Any]) -> Dossier:
    return validate_dossier(copy.deepcopy(data), "test")


def _plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def _analysis(data: dict[str, Any], today: date = TODAY) -> Analysis:
    return analyse(_dossier(data), today, load_referentiel())


def _requete(analysis: Analysis) -> PlannedDocument:
    [doc] = analysis.plan(["requete_indemnitaire"])
    return doc


def _claim(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The example with its demande indemnitaire changed."""
    data = copy.deepcopy(data)
    data["demandes_indemnitaires"][0].update(fields)
    return data


def _codes(doc: PlannedDocument) -> list[str]:
    return [b.code for b in doc.bloquants]


# ------------------------------------------------------------------ planning


def test_implicit_rejection_reached_with_a_compliant_acknowledgment() -> None:
    # Received Mon 24 Aug 2026 -> implicit rejection Sat 24 Oct 2026 -> two months franc:
    # Sat 26 Dec 2026, carried to Mon 28 Dec 2026 (CJA R.421-2, CE avis n° 420797).
    analysis = _analysis(_raw(DEPARTEMENT))
    doc = _requete(analysis)
    assert [d.kind for d in analysis.plan()] == ["requete_indemnitaire"]
    assert doc.par_defaut and doc.dans_le_delai and doc.bloquants == ()
    assert doc.chaine is not None and doc.chaine.date_limite == date(2026, 12, 28)
    assert doc.claim.exercices == (2024, 2025)
    assert str(doc.claim.reclame) == "17135.40"
    text = _plain(" ".join(doc.avertissements))
    assert "rejet implicite du 24 octobre 2026" in text
    assert "au plus tard le 28 décembre 2026" in text
    # The demande itself is not planned again: it was sent for these exercises.
    assert not analysis.plan(["demande_indemnitaire"])[0].par_defaut
    # The next deadline the user is shown is the requête's.
    label, deadline = analysis.prochaine_echeance or ("", None)
    assert label.startswith("requête indemnitaire — Département de Saône-et-Loire")
    assert deadline is not None and deadline.date_limite == date(2026, 12, 28)


def test_not_yet_rejected_says_when_the_implicit_rejection_will_arise() -> None:
    data = _claim(_raw(DEPARTEMENT), date_envoi="2026-10-12", date_reception="2026-10-15")
    doc = _requete(_analysis(data))
    assert _codes(doc) == ["rejet_a_naitre"]
    [blocker] = doc.bloquants
    assert blocker.option is None  # no option lifts it: the requête would be inadmissible
    text = _plain(blocker.texte)
    assert "reçue le 15 octobre 2026" in text
    assert "rejetée implicitement le 15 décembre 2026" in text
    assert "CJA, art. R.421-1, al. 2" in text
    assert not doc.dans_le_delai


def test_explicit_rejection_with_voies_et_delais_opens_two_months() -> None:
    # Notified Mon 12 Oct 2026 -> Sat 12 Dec 2026 -> Mon 14 Dec 2026 (R.421-1, R.421-5). The
    # acknowledgment lacked the mentions, so the implicit rejection opened no delay.
    doc = _requete(_analysis(_raw(ETAT)))
    assert doc.bloquants == () and doc.dans_le_delai
    assert doc.chaine is not None and doc.chaine.evenement == "rejet_explicite"
    assert doc.chaine.date_limite == date(2026, 12, 14)
    assert any("au plus tard le 14 décembre 2026" in _plain(w) for w in doc.avertissements)


def test_explicit_rejection_without_mentions_leaves_only_the_prescription() -> None:
    data = _raw(ETAT)
    data["demandes_indemnitaires"][0]["rejet_explicite"]["voies_et_delais_mentionnes"] = False
    doc = _requete(_analysis(data))
    assert doc.bloquants == () and doc.dans_le_delai
    assert doc.chaine is not None and doc.chaine.date_limite is None
    text = _plain(" ".join(doc.avertissements))
    assert "sans les voies et délais de recours" in text
    assert "n° 413097" in text and "Seule la prescription quadriennale limite l'action" in text


def test_implicit_rejection_without_compliant_acknowledgment_runs_no_delay() -> None:
    data = _claim(_raw(DEPARTEMENT), date_envoi="2026-01-05", date_reception="2026-01-07")
    data["demandes_indemnitaires"][0]["accuse_reception_conforme"] = False
    doc = _requete(_analysis(data))
    # Ten months after the implicit rejection, the requête is still possible.
    assert doc.bloquants == () and doc.dans_le_delai
    assert any("Seule la prescription quadriennale" in w for w in doc.avertissements)


def test_delay_run_out_is_held_back_and_lifted_by_hors_delai() -> None:
    data = _raw(ETAT)
    data["demandes_indemnitaires"][0]["rejet_explicite"]["date_notification"] = "2026-08-03"
    doc = _requete(_analysis(data))
    assert _codes(doc) == ["hors_delai"]
    [blocker] = doc.bloquants
    assert blocker.option == "hors_delai"
    assert "a expiré le 5 octobre 2026" in _plain(blocker.texte)
    assert "refus confirmatif" in blocker.texte
    assert doc.refus(["hors_delai"]) == ()
    assert not doc.dans_le_delai


def test_prescribed_exercises_hold_the_requete_back() -> None:
    # The claim of Aug. 2026 started a new period 2027-2030: on 1 June 2031 both exercises
    # are prescribed (loi n° 68-1250, art. 1er and 2), and the implicit rejection's delay
    # has long run.
    doc = _requete(_analysis(_raw(DEPARTEMENT), today=date(2031, 6, 1)))
    assert _codes(doc) == ["prescrit", "hors_delai"]
    assert "2024, 2025" in doc.bloquants[0].texte
    assert "art. 7" in doc.bloquants[0].texte  # raised only by the administration


def test_a_requete_filed_in_the_journal_is_not_planned_again() -> None:
    data = _raw(DEPARTEMENT)
    data["journal"] = [
        {
            "type": "requete_deposee",
            "decision": "demande-indemnitaire-1",
            "date": "2026-11-16",
            "juridiction": "tribunal administratif de Lyon",
            "numero": "2609876",
        }
    ]
    analysis = _analysis(data)
    doc = _requete(analysis)
    assert not doc.par_defaut
    # Nothing else is planned: not even the expired recours gracieux, which the plan shows
    # (refused, with its reason) only when nothing is under way for the authority.
    assert analysis.plan() == []
    assert _codes(doc) == ["deja_deposee"]
    assert "déposée le 16 novembre 2026 (tribunal administratif de Lyon, n° 2609876" in _plain(
        doc.bloquants[0].texte
    )
    # A journal entry naming a demande that does not exist is refused, with the known names.
    data["journal"][0]["decision"] = "demande-indemnitaire-2"
    with pytest.raises(DossierInvalidError) as caught:
        _dossier(data)
    assert "demande-indemnitaire-1" in str(caught.value)


def test_departement_defendant_needs_no_lawyer() -> None:
    doc = _requete(_analysis(_raw(DEPARTEMENT)))
    assert doc.chaine is not None and doc.chaine.avocat_obligatoire is False
    assert "avocat" not in _codes(doc)
    assert any(
        "sans avocat (CJA, art. R.431-3)" in w and "R.431-4" in w for w in doc.avertissements
    )


def _ars_claim() -> dict[str, Any]:
    data = _raw(ARS)
    data["demandes_indemnitaires"] = [
        {
            "autorite": "ars-idf",
            "exercices": [2024],
            "date_envoi": "2026-07-01",
            "date_reception": "2026-07-03",
            "rejet_explicite": {
                "date_notification": "2026-10-20",
                "voies_et_delais_mentionnes": True,
            },
        }
    ]
    return data


def test_ars_defendant_requires_a_lawyer() -> None:
    data = _ars_claim()
    doc = _requete(_analysis(data))
    assert doc.chaine is not None and doc.chaine.avocat_obligatoire is True
    assert _codes(doc) == ["avocat"]
    [blocker] = doc.bloquants
    assert blocker.option == "sans_avocat"
    assert "agence régionale de santé : le ministère d'avocat est obligatoire" in blocker.texte
    assert "R.431-2" in blocker.texte
    data["avocat"] = copy.deepcopy(_raw(ETAT)["avocat"])
    assert _requete(_analysis(data)).bloquants == ()


def test_court_is_named_and_marked_a_verifier() -> None:
    doc = _requete(_analysis(_raw(DEPARTEMENT)))
    assert doc.juridiction is not None
    assert doc.juridiction.nom == "tribunal administratif de Lyon"  # tariff TA of the 71
    assert not doc.juridiction.verifie
    assert "n'est pas confirmé (à vérifier)" in (doc.juridiction.avertissement or "")
    assert "CJA, art. R.312-14" in (doc.juridiction.avertissement or "")


# ------------------------------------------------------------------ documents


@pytest.fixture(scope="module")
def departement(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    folder = tmp_path_factory.mktemp("requete-indemnitaire")
    result = generate(load_dossier(DEPARTEMENT), sortie=folder, today=TODAY)
    files = {f.format: f.path for f in result.fichiers if f.document == "requete_indemnitaire"}
    word = [_plain(p) for p in docx_paragraphs(files["docx"])]
    pdf = _plain(normalise_pdf(pdf_text(files["pdf"], footers=False)))
    return word, pdf


def test_requete_content_against_a_departement(departement: tuple[list[str], str]) -> None:
    word, pdf = departement
    text = "\n".join(word)
    for expected in [
        "À Mesdames et Messieurs les président et conseillers composant le tribunal "
        "administratif de Lyon",
        "[À VÉRIFIER AVANT LE DÉPÔT : Le tribunal administratif de Lyon est retenu",
        "REQUÊTE INDEMNITAIRE",
        "CONTRE : le département de Saône-et-Loire, représenté par le président du conseil "
        "départemental de Saône-et-Loire",
        "Par lettre recommandée envoyée le 20 août 2026 et reçue le 24 août 2026, l'association "
        "a adressé au président du conseil départemental de Saône-et-Loire une demande "
        "indemnitaire préalable",
        "le silence gardé pendant deux mois a fait naître une décision implicite de rejet le "
        "24 octobre 2026",
        "le délai de recours de deux mois court à compter de la décision implicite de rejet et "
        "expire le 28 décembre 2026",
        "de la carence du président du conseil départemental de Saône-et-Loire",
        "de nature à engager la responsabilité du département de Saône-et-Loire.",
        "2 ETP × 238 € × 12 mois × 1,45",
        "– de condamner le département de Saône-et-Loire à lui verser la somme de 17 135,40 € "
        "(dix-sept mille cent trente-cinq euros et quarante centimes) en réparation du "
        "préjudice subi au titre des exercices 2024, 2025 ;",
        "– de dire que cette somme portera intérêts au taux légal à compter du 24 août 2026",
        "(C. civ., art. 1231-6 ; C. civ., art. 1343-2)",
        "– de mettre à la charge du département de Saône-et-Loire une somme au titre de "
        "l'article L.761-1 du code de justice administrative.",
        "Fait à Mâcon, le 20 novembre 2026",
        "Pièce n° 1 : Demande indemnitaire préalable du 20 août 2026 et preuve de son envoi",
    ]:
        assert expected in text, expected
        assert squash(expected) in squash(pdf), expected
    # Signed by the president (no lawyer needed against a département), not "à faire signer".
    assert word[word.index("Fait à Mâcon, le 20 novembre 2026") + 1] == "Claire Dumont-Vasseur"
    assert "FAIRE SIGNER" not in text
    # The Lafon risk is the user's warning, never written in the requête.
    assert "Lafon" not in text and "Lafon" not in pdf
    assert amounts(text) == amounts(pdf)
    assert dates(text) == dates(pdf)


def test_requete_against_the_state_is_signed_by_the_lawyer(tmp_path: Path) -> None:
    result = generate(
        load_dossier(ETAT), sortie=tmp_path, today=TODAY, documents=["requete_indemnitaire"]
    )
    [docx] = [f.path for f in result.fichiers if f.format == "docx"]
    word = [_plain(p) for p in docx_paragraphs(docx)]
    text = "\n".join(word)
    assert "– de condamner l'État à lui verser la somme de 32 914,00 €" in text
    assert "de mettre à la charge de l'État une somme" in text
    assert "Notifiée avec la mention des voies et délais de recours, la décision de rejet" in text
    assert (
        "Pièce n° 3 : Décision rejetant la demande indemnitaire préalable, notifiée le 12 "
        "octobre 2026" in text
    )
    signature = word.index("Fait à Lille, le 20 novembre 2026") + 1
    assert word[signature : signature + 2] == [
        "Maître Camille Fontaine",
        "Avocat au barreau de Lille",
    ]


def test_without_a_lawyer_the_ars_requete_says_who_must_sign(tmp_path: Path) -> None:
    dossier = _dossier(_ars_claim())
    refused = generate(dossier, sortie=tmp_path, today=TODAY, documents=["requete_indemnitaire"])
    assert refused.refus and not refused.fichiers
    result = generate(
        dossier,
        sortie=tmp_path,
        today=TODAY,
        documents=["requete_indemnitaire"],
        formats=["docx"],
        sans_avocat=True,
    )
    [docx] = [f.path for f in result.fichiers]
    text = _plain("\n".join(docx_paragraphs(docx)))
    assert "[À FAIRE SIGNER PAR UN AVOCAT : Conclusions tendant au paiement d'une somme" in text
    assert "condamner l'agence régionale de santé" in text.lower()


def test_cli_names_the_new_document(tmp_path: Path, runner: CliRunner) -> None:
    help_text = runner.invoke(main, ["generer", "--help"]).stdout
    assert "requete_indemnitaire" in " ".join(help_text.split())
    result = runner.invoke(
        main,
        [
            "generer",
            str(DEPARTEMENT),
            "--documents",
            "requete_indemnitaire",
            "--formats",
            "docx",
            "--sortie",
            str(tmp_path),
            "--aujourdhui",
            "2026-11-22",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "requete-indemnitaire_departement-de-saone-et-loire.docx").is_file()
    assert "Prochaine échéance : requête indemnitaire — Département de Saône-et-Loire" in (
        result.stdout
    )


def test_suivi_records_the_filed_requete_indemnitaire(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(DEPARTEMENT.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "suivi",
            "noter",
            str(path),
            "requete",
            "--date",
            "2026-11-23",
            "--decision",
            "demande-indemnitaire-1",
            "--numero",
            "2601111",
        ],
    )
    assert result.exit_code == 0, result.output
    dossier = load_dossier(path)
    [event] = dossier.journal
    assert (event.type, event.decision, event.juridiction) == (
        "requete_deposee",
        "demande-indemnitaire-1",
        "tribunal administratif de Lyon",
    )
    doc = _requete(analyse(dossier, TODAY, load_referentiel()))
    assert _codes(doc) == ["deja_deposee"]


def test_unknown_receipt_and_acknowledgment_are_not_asserted() -> None:
    from recours.documents.context import requete_indemnitaire_context

    data = _claim(_raw(DEPARTEMENT), date_reception=None, accuse_reception_conforme=None)
    analysis = _analysis(data)
    ctx = requete_indemnitaire_context(analysis, _requete(analysis))
    # The engine takes the sending date and a compliant acknowledgment (the shorter reading);
    # the requête asserts neither: the receipt is left to fill in, the delay is "supposed".
    assert not ctx.demande.reception_connue
    assert "[À COMPLÉTER : date de réception de la demande envoyée le 20 août 2026]" in (
        _plain(ctx.recevabilite.liaison)
    )
    assert _plain(ctx.recevabilite.delai).startswith("À le supposer opposable")
    assert "comportait les mentions" not in ctx.recevabilite.delai
    assert "[À COMPLÉTER" in ctx.interets.conclusions
    assert all("Accusé de réception" not in p.intitule for p in ctx.pieces)
