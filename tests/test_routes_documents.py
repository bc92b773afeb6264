"""The indemnity routes' documents (issue 11): the demande indemnitaire préalable to the
authority and the mise en demeure de payer to the payer, checked by their content; what the
analysis plans, holds back and warns; the deadline chain after the claim."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docs_text import docx_paragraphs, normalise_pdf, pdf_text, squash
from recours.cli.main import main
from recours.documents.generate import generate
from recours.dossier.models import Dossier
from recours.dossier.validation import load_dossier, load_yaml, validate_dossier
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "annees-definitives-indemnitaire.yaml"
TODAY = date(2026, 11, 22)
NBSP = "\u00a0"
NNBSP = "\u202f"


def _raw(path: Path = EXAMPLE) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _dossier(data: dict[str, Any]) -> Dossier:
    return validate_dossier(copy.deepcopy(data), "test")


def _plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[str]]:
    folder = tmp_path_factory.mktemp("routes")
    result = generate(load_dossier(EXAMPLE), sortie=folder, today=TODAY)
    files = {f"{f.document}.{f.format}": f.path for f in result.fichiers}
    return files, result.avertissements


def test_default_plan_of_the_example(written: tuple[dict[str, Path], list[str]]) -> None:
    # 2024 and 2025 final, 2026 notified but half paid: a demande indemnitaire for 2024-2025
    # and a mise en demeure for 2026; no out-of-time recours gracieux, no requête.
    files, _ = written
    assert sorted(p.name for p in files.values()) == [
        "demande-indemnitaire_departement-du-doubs.docx",
        "demande-indemnitaire_departement-du-doubs.pdf",
        "mise-en-demeure_departement-du-doubs_2026.docx",
        "mise-en-demeure_departement-du-doubs_2026.pdf",
    ]


def test_demande_indemnitaire_content(written: tuple[dict[str, Path], list[str]]) -> None:
    files, _ = written
    word = [_plain(p) for p in docx_paragraphs(files["demande_indemnitaire.docx"])]
    pdf = _plain(squash(normalise_pdf(pdf_text(files["demande_indemnitaire.pdf"]))))
    text = "\n".join(word)
    # 2024: 3 ETP x 238 x 12 x 1.45 = 12 423.60; 2025: 4 ETP -> 16 564.80 - 2 500 received
    # = 14 064.80; total 26 488.40. 2026 is left to the mise en demeure.
    for line in (
        "– Exercice 2024 : 12 423,60 €",
        "– Exercice 2025 : 14 064,80 €",
        "Total | | | | 28 988,40 € | 2 500,00 € | 26 488,40 €",
        "Le préjudice s'élève ainsi à 26 488,40 € (vingt-six mille quatre cent quatre-vingt-huit "
        "euros et quarante centimes).",
    ):
        assert line in word
    assert "2026" not in " ".join(p for p in word if "|" in p)
    assert (
        "Objet : Demande indemnitaire préalable — financement de l'indemnité prévue par "
        "l'accord du 4 juin 2024 (« Ségur pour tous »), exercices 2024, 2025" in word
    )
    interest = (
        "nous vous demandons de bien vouloir nous verser la somme de 26 488,40 € en réparation "
        "de ce préjudice, assortie des intérêts au taux légal à compter de la date de réception "
        "de la présente demande (article 1231-6 du code civil), ainsi que de la capitalisation "
        "de ces intérêts (article 1343-2 du code civil)."
    )
    prescription = (
        "La présente demande constitue une réclamation écrite qui interrompt la prescription "
        "quadriennale des créances qu'elle concerne, en application de l'article 2 de la loi "
        "n° 68-1250 du 31 décembre 1968."
    )
    for sentence in (interest, prescription):
        assert sentence in text
        assert squash(sentence) in pdf
    assert "article R.112-5 du code des relations entre le public et l'administration" in text
    assert "article R.421-1, deuxième alinéa, du code de justice administrative" in text
    # The facts name each final decision; the letter never says they are final, nor Lafon.
    assert "arrêté de tarification n° 2024-ENF-0107 du 25 mars 2024" in text
    for absent in ("Lafon", "405355", "définitive", "pécuniaire"):
        assert absent not in text
        assert absent not in pdf
    # Signed by the legal representative.
    assert word[word.index("Paul Lefranc-Morel") + 1] == "président"


def test_lafon_and_fault_warnings_go_to_the_user(
    written: tuple[dict[str, Path], list[str]],
) -> None:
    _, warnings = written
    lafon = [w for w in warnings if "Lafon" in w and w.startswith("demande indemnitaire")]
    # One per exercise with a final express decision, with the referential's sentence.
    assert [w.split(" : ")[1] for w in lafon] == [
        "Exercice 2024",
        "Exercice 2025",
    ]
    ref = load_referentiel()
    assert "à vérifier" in lafon[0]
    assert "Ce risque n'est pas mentionné dans la lettre" in lafon[0]
    assert ref.textes_voies["lafon_risque"].confiance == "U"
    assert any("aucune source n'a été lue sur ce point (à vérifier)" in w for w in warnings)
    assert any("l'exercice 2026 n'est pas réclamé" in w for w in warnings)
    # The last day to claim each exercise (rights of Y: 1 Jan Y+1 to 31 Dec Y+4).
    for sentence in (
        "Exercice 2024 : la prescription quadriennale court du 1er janvier 2025 au "
        "31 décembre 2028 inclus",
        "Exercice 2025 : la prescription quadriennale court du 1er janvier 2026 au "
        "31 décembre 2029 inclus",
    ):
        assert any(sentence in _plain(w) for w in warnings), sentence
    assert any(
        "aucun payeur n'est indiqué (financements_notifies[0].payeur)" in w for w in warnings
    )


def test_mise_en_demeure_content(written: tuple[dict[str, Path], list[str]]) -> None:
    files, _ = written
    word = [_plain(p) for p in docx_paragraphs(files["mise_en_demeure.docx"])]
    pdf = _plain(squash(normalise_pdf(pdf_text(files["mise_en_demeure.pdf"]))))
    text = "\n".join(word)
    # Notified 16 564.80, three payments of 2 760.80 = 8 282.40, 8 282.40 missing.
    assert "2026 | 16 564,80 € | 8 282,40 € | 8 282,40 €" in word
    for payment in ("20 mai 2026", "20 juin 2026", "20 juillet 2026"):
        assert f"– le {payment} : 2 760,80 €" in word
    demand = (
        "Nous vous mettons en demeure de nous verser, dans les meilleurs délais, la somme de "
        "8 282,40 € (huit mille deux cent quatre-vingt-deux euros et quarante centimes)"
    )
    interest = (
        "Cette somme portera intérêts au taux légal à compter de la date de réception de la "
        "présente mise en demeure (article 1231-6 du code civil ; article 1344-1 du code civil)."
    )
    for sentence in (demand, interest):
        assert sentence in text
        assert squash(sentence) in pdf
    assert "la demande préalable prévue par l'article R.421-1, deuxième alinéa" in text
    assert "interrompt la prescription quadriennale" in text
    assert "– Notification n° 2026-ENF-0311 du 10 avril 2026 (Département du Doubs)" in word
    # No payer in the dossier: addressed to the authority, hence no copy line.
    assert word[7:9] == [
        "Madame la Présidente du conseil départemental du Doubs",
        "Département du Doubs",
    ]
    assert not any(p.startswith("Copie :") for p in word)


def _multisite_with_ars_funding(payeur: bool) -> dict[str, Any]:
    data = _raw(ROOT / "examples" / "multisite-ars-cpom.yaml")
    funding: dict[str, Any] = {
        "autorite": data["autorites"][0]["id"],
        "etablissement": "930000018",
        "exercice": 2026,
        "date_notification": "2026-07-01",
        "montant_notifie": "10000",
        "versements": [],
    }
    if payeur:
        funding["payeur"] = "Caisse primaire d'assurance maladie de la Seine-Saint-Denis"
        funding["payeur_adresse"] = {
            "voie": "3 rue de l'Exemple",
            "code_postal": "93000",
            "commune": "Bobigny",
        }
    data["financements_notifies"] = [funding]
    return data


def test_ars_funding_without_payer_is_held_back(tmp_path: Path) -> None:
    dossier = _dossier(_multisite_with_ars_funding(payeur=False))
    result = generate(dossier, sortie=tmp_path, today=TODAY, documents=["mise_en_demeure"])
    assert result.fichiers == []
    assert len(result.refus) == 1
    assert "versé par la caisse, et non par l'agence régionale de santé" in result.refus[0]
    assert "CASF, art. R.314-110 et R.314-111" in result.refus[0]


def test_ars_funding_goes_to_the_caisse_with_a_copy(tmp_path: Path) -> None:
    dossier = _dossier(_multisite_with_ars_funding(payeur=True))
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["mise_en_demeure"], formats=["docx"]
    )
    assert result.refus == []
    [written] = result.fichiers
    word = [_plain(p) for p in docx_paragraphs(written.path)]
    assert "Caisse primaire d'assurance maladie de la Seine-Saint-Denis" in word
    assert "3 rue de l'Exemple" in word
    assert "Madame, Monsieur," in word
    # The title names the agency: the copy line does not repeat its name.
    assert (
        "Copie : Madame la Directrice générale, Monsieur le Directeur général de l'Agence "
        "régionale de santé Île-de-France" in word
    )
    assert "aucun versement ne nous est parvenu" in "\n".join(word)
    assert "2026 | 10 000,00 € | 0,00 € | 10 000,00 €" in word
    # The dossier names a signatory with a delegation: she signs, as on the recours
    # gracieux, and her delegation is attached.
    delegation = "délégation de pouvoir du conseil d'administration du 14 mars 2025"
    signature = word.index("Sophie Nguyen")
    assert word[signature : signature + 3] == [
        "Sophie Nguyen",
        "directrice générale",
        f"par {delegation}",
    ]
    assert "Bernard Lefèvre" not in word
    assert f"3. Délégation du signataire ({delegation})" in word


def test_tariff_documents_keep_the_default_plan() -> None:
    # A contestable decision: the recours gracieux stays the only default document; the
    # demande indemnitaire for the final years is offered, never silently added.
    analysis = analyse(
        load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml"),
        TODAY,
        load_referentiel(),
    )
    assert [d.kind for d in analysis.plan()] == ["gracieux"]
    [demande] = analysis.plan(["demande_indemnitaire"])
    assert demande.claim.exercices == (2024, 2025)
    assert any(
        "possible pour 2024, 2025" in w and "--documents demande_indemnitaire" in w
        for w in analysis.avertissements
    )


def test_prescribed_exercise_is_not_claimed() -> None:
    # Rights of 2024 are prescribed after 31 Dec 2028; on 1 March 2029 only 2025 remains.
    analysis = analyse(_dossier(_raw()), date(2029, 3, 1), load_referentiel())
    [demande] = analysis.plan(["demande_indemnitaire"])
    assert demande.claim.exercices == (2025,)
    assert demande.claim.reclame == Decimal("14064.80")
    assert any(
        "l'exercice 2024 n'est pas réclamé, la prescription quadriennale étant acquise" in w
        for w in demande.avertissements
    )


def test_prescription_soon_is_warned() -> None:
    analysis = analyse(_dossier(_raw()), date(2028, 8, 1), load_referentiel())
    [demande] = analysis.plan(["demande_indemnitaire"])
    assert demande.claim.exercices == (2024, 2025)
    soon = [w for w in demande.avertissements if "sera prescrite" in w]
    assert len(soon) == 1
    assert "Exercice 2024 : la créance sera prescrite après le 31 décembre 2028" in soon[0]


def test_repeat_claim_after_a_rejection_is_warned_and_not_default() -> None:
    data = _raw()
    data["demandes_indemnitaires"] = [
        {
            "autorite": "cd-25",
            "exercices": [2024, 2025],
            "date_envoi": "2026-01-10",
            "date_reception": "2026-01-12",
        }
    ]
    analysis = analyse(_dossier(data), TODAY, load_referentiel())
    [demande] = analysis.plan(["demande_indemnitaire"])
    assert not demande.par_defaut
    # The requête indemnitaire that follows is planned, and refused: the delay opened by the
    # implicit rejection (acknowledgment unknown: taken as compliant) ran out in May 2026.
    assert [d.kind for d in analysis.plan()] == ["mise_en_demeure", "requete_indemnitaire"]
    [requete] = analysis.plan(["requete_indemnitaire"])
    assert [b.code for b in requete.refus(["sans_avocat"])] == ["hors_delai"]
    # Implicit rejection two months after receipt: 12 March 2026.
    assert any(
        "déjà été rejetée le 12 mars 2026" in w and "refus confirmatif" in w
        for w in demande.avertissements
    )
    assert any("déjà été envoyée le 10 janvier 2026" in w for w in demande.avertissements)
    # Without the R.112-5 mentions no delay ran (CE avis n° 420797): the rejection can still
    # be brought to court, so no confirmative warning, only the next step.
    data["demandes_indemnitaires"][0]["accuse_reception_conforme"] = "non"
    other = analyse(_dossier(data), TODAY, load_referentiel()).plan(["demande_indemnitaire"])
    assert not any("refus confirmatif" in w for w in other[0].avertissements)
    assert any("déjà été envoyée le 10 janvier 2026" in w for w in other[0].avertissements)
    # The earlier claim (sent in 2026) interrupted the prescription: new period 2027-2030.
    assert any(
        "Exercice 2024" in w and "31 décembre 2030" in _plain(w) for w in demande.avertissements
    )


def test_cli_generer_and_verifier(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "docs"
    result = runner.invoke(
        main,
        [
            "generer",
            str(EXAMPLE),
            "--sortie",
            str(out),
            "--documents",
            "gracieux,requete,demande_indemnitaire,mise_en_demeure",
            "--hors-delai",
            "--sans-avocat",
            "--formats",
            "pdf",
            "--aujourdhui",
            "2026-11-22",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "demande-indemnitaire_departement-du-doubs.pdf",
        "mise-en-demeure_departement-du-doubs_2026.pdf",
        "recours-gracieux_departement-du-doubs.pdf",
        "requete_prix-de-journee-2024_departement-du-doubs.pdf",
        "requete_prix-de-journee-2025_departement-du-doubs.pdf",
    ]
    result = runner.invoke(main, ["verifier", str(EXAMPLE), "--aujourdhui", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert (
        "  - demande indemnitaire préalable — Département du Doubs : à générer (26" in result.stdout
    )
    assert "  - mise en demeure de payer — Département du Doubs (exercice 2026) : à générer" in (
        result.stdout
    )
    # What remains for 2026 is the mise en demeure, not a demande indemnitaire.
    assert (
        "Pour Maison d'enfants L'Escale 2026 : Un financement notifié pour cet exercice n'a pas "
        "été entièrement versé : la mise en demeure de payer adressée au payeur le réclame"
    ) in result.stdout


def test_claim_chain_deadlines(runner: CliRunner) -> None:
    # Received 3 Dec 2026 with a compliant AR: implicit rejection 3 Feb 2027 (CRPA L.231-4
    # 3°, L.114-3); two months, délai franc: 3 April 2027 is a Saturday -> Monday 5 April
    # (CJA R.421-2; CE avis n° 420797). Prescription of 2024 and 2025 restarts from
    # 1 January 2027: last day 31 December 2030 (loi n° 68-1250, art. 2).
    result = runner.invoke(
        main,
        [
            "delais",
            "--demande-indemnitaire",
            "2026-12-01",
            "--reception-demande",
            "2026-12-03",
            "--ar-conforme",
            "oui",
            "--type-autorite",
            "conseil_departemental",
            "--departement",
            "25",
            "--exercice",
            "2024",
            "--exercice",
            "2025",
            "--aujourdhui",
            "2026-12-05",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    chain = data["demande_indemnitaire"]
    assert (chain["rejet_implicite"], chain["date_limite"], chain["statut"]) == (
        "2027-02-03",
        "2027-04-05",
        "en_attente",
    )
    assert chain["delai_raisonnable"] is False
    assert chain["avocat_obligatoire"] is False  # a département (CJA R.431-3)
    assert "ce-avis-420797" in chain["fondements_cles"]
    assert [(p["exercice"], p["date_limite"]) for p in data["prescription"]] == [
        (2024, "2030-12-31"),
        (2025, "2030-12-31"),
    ]


def test_batch_reports_the_new_documents(tmp_path: Path) -> None:
    # A federation batch (YAML list of dossiers) gives the example's default documents; the
    # report names them and leaves the tariff deadlines empty (they have none).
    import csv

    import yaml

    from recours.batch.runner import LotOptions, run_lot

    source = tmp_path / "dossiers.yaml"
    data = _raw()
    data.pop("$schema", None)
    source.write_text(yaml.safe_dump([data], allow_unicode=True), "utf-8")
    out = tmp_path / "lot"
    summary = run_lot(source, LotOptions(sortie=out, today=TODAY, formats=("docx",)), jobs=1)
    assert summary.lignes_en_erreur == 0
    with (out / "rapport.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert sorted((r["Document"], r["Échéance du recours gracieux"]) for r in rows) == [
        ("demande indemnitaire préalable", ""),
        ("mise en demeure de payer", ""),
    ]
    assert {r["Établissements"] for r in rows} == {"Maison d'enfants L'Escale (250000017)"}


def test_custom_template_check_names_the_new_documents(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "mise_en_demeure.html").write_text("<p>{{ tribunal.nom }}</p>\n", "utf-8")
    result = runner.invoke(main, ["modeles", "verifier", "--sans-pdf", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        "mise_en_demeure.html, ligne 1 — erreur : variable « tribunal » absente du contexte de "
        "la mise en demeure de payer (elle n'existe que pour : requête et requête indemnitaire)"
    ) in result.stdout
