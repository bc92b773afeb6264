"""Generated documents, checked by their content: golden text, Word/PDF parity, hostile
values, deadlines refusals, safe writing, Télérecours folder, determinism."""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from docs_text import (
    amounts,
    dates,
    docx_paragraphs,
    golden_docx,
    golden_pdf,
    normalise_line,
    normalise_pdf,
    pdf_text,
    squash,
)
from recours.documents import generate as documents_module
from recours.documents.generate import generate
from recours.dossier.validation import load_dossier, load_yaml, validate_dossier
from recours.errors import FileExistsRefusedError, RecoursError, TemplateError
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every example x every document x both formats, generated once for the module.

    Out-of-time documents and requêtes without a lawyer are generated too (with the options
    that allow them), so that their golden texts show what such a document says — and does
    not say. Nothing else may be refused.
    """
    out: dict[str, list[Path]] = {}
    for example in EXAMPLES:
        folder = tmp_path_factory.mktemp(example.stem)
        result = generate(
            load_dossier(example),
            sortie=folder,
            today=TODAY,
            documents=[
                "gracieux",
                "requete",
                "demande_indemnitaire",
                "mise_en_demeure",
                "recours_hierarchique",
                "requete_indemnitaire",
            ],
            hors_delai=True,
            sans_avocat=True,
        )
        refused = {d.document.stem: d.messages for d in result.documents if d.statut != "genere"}
        expected = EXPECTED_REFUSALS.get(example.stem, {})
        assert sorted(refused) == sorted(expected)
        for stem, phrase in expected.items():
            assert any(phrase in message for message in refused[stem]), (stem, refused[stem])
        out[example.stem] = [f.path for f in result.fichiers]
    return out


# The only documents the examples cannot give on TODAY, even with --hors-delai and
# --sans-avocat (stem: a phrase of the refusal): a recours hiérarchique against a préfet
# (superior not established) or a président du conseil départemental (no superior).
_NO_SUPERIOR = "n'a pas de supérieur hiérarchique"
_UNCERTAIN = "n'est pas établi par les sources consultées"
EXPECTED_REFUSALS: dict[str, dict[str, str]] = {
    "annees-definitives-indemnitaire": {
        "recours-hierarchique_prix-de-journee-2024_departement-du-doubs": _NO_SUPERIOR,
        "recours-hierarchique_prix-de-journee-2025_departement-du-doubs": _NO_SUPERIOR,
    },
    "chrs-prefet-region": {
        "recours-hierarchique_dgf-2025_prefecture-de-la-region-hauts-de-france": _UNCERTAIN,
        "recours-hierarchique_dgf-2026_prefecture-de-la-region-hauts-de-france": _UNCERTAIN,
    },
    "mecs-conseil-departemental": {
        "recours-hierarchique_prix-de-journee-2025_departement-de-la-sarthe": _NO_SUPERIOR,
        "recours-hierarchique_prix-de-journee-2026_departement-de-la-sarthe": _NO_SUPERIOR,
    },
    "multisite-ars-cpom": {
        "recours-hierarchique_cd-fam-2026_departement-de-la-seine-saint-denis": _NO_SUPERIOR,
    },
    "rejet-indemnitaire-departement": {
        "recours-hierarchique_prix-de-journee-2025_departement-de-saone-et-loire": _NO_SUPERIOR,
    },
}


def _pairs(generated: dict[str, list[Path]]) -> list[tuple[str, Path, Path]]:
    pairs = []
    for stem, files in generated.items():
        for docx in (f for f in files if f.suffix == ".docx"):
            pairs.append((stem, docx, docx.with_suffix(".pdf")))
    return pairs


def test_every_example_gives_every_document(generated: dict[str, list[Path]]) -> None:
    names = {stem: sorted(p.name for p in files) for stem, files in generated.items()}
    assert names["mecs-conseil-departemental"] == [
        "demande-indemnitaire_departement-de-la-sarthe.docx",
        "demande-indemnitaire_departement-de-la-sarthe.pdf",
        "recours-gracieux_departement-de-la-sarthe.docx",
        "recours-gracieux_departement-de-la-sarthe.pdf",
        "requete_prix-de-journee-2025_departement-de-la-sarthe.docx",
        "requete_prix-de-journee-2025_departement-de-la-sarthe.pdf",
        "requete_prix-de-journee-2026_departement-de-la-sarthe.docx",
        "requete_prix-de-journee-2026_departement-de-la-sarthe.pdf",
    ]
    # 2 authorities (a recours gracieux and a demande indemnitaire each), 3 decisions, and a
    # recours hiérarchique against each of the 2 decisions of the DG ARS
    assert len(names["multisite-ars-cpom"]) == 18
    # 1 authority, 2 decisions, 1 rejected demande indemnitaire
    assert len(names["chrs-prefet-region"]) == 10
    assert names["annees-definitives-indemnitaire"] == [
        "demande-indemnitaire_departement-du-doubs.docx",
        "demande-indemnitaire_departement-du-doubs.pdf",
        "mise-en-demeure_departement-du-doubs_2026.docx",
        "mise-en-demeure_departement-du-doubs_2026.pdf",
        "recours-gracieux_departement-du-doubs.docx",
        "recours-gracieux_departement-du-doubs.pdf",
        "requete_prix-de-journee-2024_departement-du-doubs.docx",
        "requete_prix-de-journee-2024_departement-du-doubs.pdf",
        "requete_prix-de-journee-2025_departement-du-doubs.docx",
        "requete_prix-de-journee-2025_departement-du-doubs.pdf",
    ]
    assert names["rejet-indemnitaire-departement"] == [
        "demande-indemnitaire_departement-de-saone-et-loire.docx",
        "demande-indemnitaire_departement-de-saone-et-loire.pdf",
        "recours-gracieux_departement-de-saone-et-loire.docx",
        "recours-gracieux_departement-de-saone-et-loire.pdf",
        "requete-indemnitaire_departement-de-saone-et-loire.docx",
        "requete-indemnitaire_departement-de-saone-et-loire.pdf",
        "requete_prix-de-journee-2025_departement-de-saone-et-loire.docx",
        "requete_prix-de-journee-2025_departement-de-saone-et-loire.pdf",
    ]


def test_golden_text(generated: dict[str, list[Path]], request: pytest.FixtureRequest) -> None:
    update = bool(request.config.getoption("--update-golden", default=False))
    mismatches = []
    for stem, files in generated.items():
        for path in files:
            text = golden_docx(path) if path.suffix == ".docx" else golden_pdf(path)
            golden = GOLDEN / stem / f"{path.name}.txt"
            if update:
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text, encoding="utf-8")
                continue
            assert golden.exists(), f"{golden} manquant : lancez pytest --update-golden"
            if golden.read_text(encoding="utf-8") != text:
                mismatches.append(str(golden.relative_to(GOLDEN)))
    assert not mismatches, f"texte différent des fichiers de référence : {mismatches}"


def test_word_and_pdf_carry_the_same_content(generated: dict[str, list[Path]]) -> None:
    for _stem, docx, pdf in _pairs(generated):
        paragraphs = docx_paragraphs(docx)
        pdf_flat = squash(pdf_text(pdf, footers=False))
        for paragraph in paragraphs:
            # Table rows are joined with " | " in the Word extraction; compare cell by cell.
            for cell in filter(None, (c.strip() for c in paragraph.split("|"))):
                assert squash(cell) in pdf_flat, f"{docx.name}: absent du PDF : {cell!r}"
        word_text = "\n".join(paragraphs)
        pdf_plain = normalise_pdf(pdf_text(pdf, footers=False))
        assert amounts(word_text) == amounts(pdf_plain), docx.name
        assert dates(word_text) == dates(pdf_plain), docx.name


def test_letter_content_multisite(generated: dict[str, list[Path]]) -> None:
    folder = generated["multisite-ars-cpom"][0].parent
    ars = docx_paragraphs(
        folder / "recours-gracieux_agence-regionale-de-sante-d-ile-de-france.docx"
    )
    text = "\n".join(ars)
    # The ARS letter contests the 2025 and 2026 notifications (both still open; 2024 has no
    # decision in the dossier and is not claimed). ARS share: IME 35 836,00 (2025) +
    # 36 890,00 (2026); SESSAD 5 270,00 + 10 540,00; FAM 60 % of 29 310,40 = 17 586,24 and of
    # 30 120,00 = 18 072,00 -> 124 194,24 due, 15 000 + 16 000 + 10 000 + 11 000 = 52 000,00
    # received, 72 194,24 remaining.
    assert (
        "Le financement restant dû s'élève ainsi à 72 194,24 € (soixante-douze mille cent quatre-vingt-quatorze euros et vingt-quatre centimes)."
        in ars
    )
    assert "Total | | | | 124 194,24 € | 52 000,00 € | 72 194,24 €" in ars
    assert "2024" not in " ".join(p for p in ars if "|" in p)
    # Address block: the head and the ARS by its region (autorites.csv); appel without it.
    assert (
        "Madame la Directrice générale, Monsieur le Directeur général de l'Agence régionale de "
        "santé Île-de-France" in ars
    )
    assert "Madame la Directrice générale, Monsieur le Directeur général," in ars
    assert "Lettre recommandée avec demande d'avis de réception" in ars
    assert "Montreuil, le 20 novembre 2026" in ars
    assert "par délégation de pouvoir du conseil d'administration du 14 mars 2025" in ars
    assert "Crédits délégués aux ARS pour financer l'accord" in ars
    assert "article L.411-2 du code des relations entre le public et l'administration" in text
    assert "article R.112-5 du code des relations entre le public et l'administration" in text
    assert "agréé par arrêté du 25 juin 2024 publié au Journal officiel du 26 juin 2024" in text
    assert "étendu par arrêté du 5 août 2024 publié au Journal officiel du 6 août 2024" in text
    cd = "\n".join(
        docx_paragraphs(folder / "recours-gracieux_departement-de-la-seine-saint-denis.docx")
    )
    # The département is not asked for the ARS credits; it is asked for its 40 % of the FAM
    # for 2026, the only exercise its recorded decision fixes.
    assert "Crédits délégués aux ARS" not in cd
    assert "12 048,00 €" in cd
    assert "20 604,21 €" not in cd
    # Address block names the département (autorites.csv); the appel is the title alone.
    assert "Monsieur le Président du conseil départemental de la Seine-Saint-Denis" in cd
    assert "Monsieur le Président," in cd


def test_requete_content(generated: dict[str, list[Path]]) -> None:
    folder = generated["chrs-prefet-region"][0].parent
    req = docx_paragraphs(folder / "requete_dgf-2026_prefecture-de-la-region-hauts-de-france.docx")
    text = "\n".join(req)
    assert "REQUÊTE EN RÉFORMATION" in req
    assert (
        req[0]
        == "À Mesdames et Messieurs les président et conseillers composant le tribunal administratif de Lille"
    )
    # Implicit rejection: recours received 5 Aug 2026 -> 5 Oct 2026; deadline 5 Dec 2026 is a
    # Saturday -> Monday 7 Dec 2026 (CJA R.421-2, délai franc, CE 2014 n° 362568).
    assert (
        "la décision implicite, née le 5 octobre 2026, rejetant le recours gracieux formé le 3 août 2026"
        in text
    )
    assert (
        "Le délai de recours expire le 7 décembre 2026 : la présente requête est recevable." in text
    )
    assert "Ayant pour avocat : Maître Camille Fontaine, avocat au barreau de Lille" in text
    # Against a tariff, the judge is asked to fix the tariff, not to order a payment.
    assert (
        "– de réformer la décision attaquée et de fixer le tarif de l'exercice 2026 à un montant "
        "intégrant le coût de l'indemnité prévue par l'accord, soit un financement "
        "supplémentaire de 13 278,00 € ;" in req
    )
    assert "CJA, art. L.911-1" not in text
    assert "allouer" not in text
    assert "il a lié le contentieux (CJA, art. R.421-1)" in text
    assert "article L.761-1 du code de justice administrative" in text
    assert (
        "Pièce n° 1 : Décision attaquée : arrêté de tarification n° 2026-CHRS-0093 du 8 juin 2026 fixant la dotation globale de financement 2026 du CHRS Le Relais"
        in req
    )
    assert "Pièce n° 2 : Recours gracieux du 3 août 2026 et preuve de son envoi" in req


def test_requete_against_departement_needs_no_lawyer_and_names_tariff_court(tmp_path: Path) -> None:
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["requete"], formats=["docx"]
    )
    notes = " ".join(result.avertissements)
    assert "CJA, art. R.431-3, 5°" in notes
    req = docx_paragraphs(next(tmp_path.glob("requete_*.docx")))
    # Sarthe (72): tariff court Nantes since 1 January 2025 (décret n° 2024-1168).
    assert req[0].endswith("tribunal administratif de Nantes")


def test_unverified_court_is_flagged(tmp_path: Path) -> None:
    raw = load_yaml(
        (ROOT / "examples" / "mecs-conseil-departemental.yaml").read_text(encoding="utf-8")
    )
    raw["etablissements"][0]["departement"] = "92"
    raw["etablissements"][0]["finess"] = "920000011"
    dossier = validate_dossier(raw, "test")
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["requete"], formats=["docx"]
    )
    assert any(
        "Tribunal de la tarification non confirmé pour : Hauts-de-Seine (92)" in w
        for w in result.avertissements
    )


def test_pdf_metadata_and_variant(generated: dict[str, list[Path]]) -> None:
    pdf = next(p for p in generated["mecs-conseil-departemental"] if p.suffix == ".pdf")
    reader = PdfReader(str(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.author == "Association Les Coquelicots du Maine"
    assert (
        meta.title
        == "Recours gracieux — Association Les Coquelicots du Maine — Département de la Sarthe"
    )
    assert str(meta.get("/CreationDate", "")).startswith("D:20261120")
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.rdf_root.toxml()
    assert "pdfaid:part" in raw or "<pdfaid:part>3" in raw
    assert "3" in re.findall(r"pdfaid:part[^0-9]*(\d)", raw)
    text = pdf_text(pdf)
    assert "page 1 / " in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Liberation-Serif" in f for f in fonts), fonts


def test_same_dossier_same_pdf(tmp_path: Path) -> None:
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    first = generate(dossier, sortie=tmp_path / "a", today=TODAY, formats=["pdf"])
    second = generate(dossier, sortie=tmp_path / "b", today=TODAY, formats=["pdf"])
    assert [f.path.read_bytes() for f in first.fichiers] == [
        f.path.read_bytes() for f in second.fichiers
    ]


HOSTILE_NAME = 'Dupont & Fils <SARL> "l\'Étoile" {{ 7*7 }} {% if 1 %}x{% endif %} ü 😀'


def _hostile_dossier() -> dict[str, Any]:
    raw = load_yaml(
        (ROOT / "examples" / "mecs-conseil-departemental.yaml").read_text(encoding="utf-8")
    )
    raw = copy.deepcopy(raw)
    raw["organisme"]["raison_sociale"] = HOSTILE_NAME
    raw["etablissements"][0]["nom"] = "É" * 2000
    raw["autorites"][0]["service"] = "Service <b>tarification</b> & </w:t> ]]>"
    raw["faits_complementaires"] = (
        'Première ligne & <suite>\nDeuxième ligne "citée"\n\nQuatrième ligne {{ x }}'
    )
    return raw


def test_hostile_values_survive_word_and_pdf(tmp_path: Path) -> None:
    dossier = validate_dossier(_hostile_dossier(), "hostile")
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["gracieux", "requete"], force=True
    )
    for written in result.fichiers:
        if written.format == "docx":
            doc = Document(str(written.path))  # reopens
            body = normalise_line("\n".join(p.text for p in doc.paragraphs))
            # The value is printed with French typography (’, no-break space before %).
            assert normalise_line(HOSTILE_NAME) in body
            assert "{{ 7*7 }}" in body  # printed as typed, never evaluated
            assert "É" * 2000 in "\n".join(docx_paragraphs(written.path))
            assert doc.core_properties.author == HOSTILE_NAME
            if written.document == "gracieux":
                assert "Service <b>tarification</b> & </w:t> ]]>" in body
                # Line breaks of the free text are kept (docxtpl Listing -> w:br).
                xml = doc.element.xml
                assert re.search(r"Première ligne &amp; &lt;suite&gt;</w:t>\s*<w:br/>", xml)
        else:
            text = pdf_text(written.path)
            flat = squash(text)
            assert (
                squash('Dupont & Fils <SARL> "l\'Étoile" {{ 7*7 }} {% if 1 %}x{% endif %} ü')
                in flat
            )
            assert squash("É" * 2000) in flat
            if written.document == "gracieux":
                lines = [line.strip() for line in text.splitlines()]
                assert "Première ligne & <suite>" in lines
                assert 'Deuxième ligne "citée"' in lines


def test_control_characters_are_refused_before_any_document() -> None:
    raw = _hostile_dossier()
    raw["organisme"]["raison_sociale"] = "Bad\x0bName"
    with pytest.raises(RecoursError) as info:
        validate_dossier(raw, "ctrl")
    assert (
        "organisme.raison_sociale : caractère de contrôle interdit (U+000B) à la position 4"
        in str(info.value)
    )


def test_expired_recours_gracieux_is_refused_unless_hors_delai(tmp_path: Path) -> None:
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    later = date(2027, 1, 5)
    result = generate(
        dossier, sortie=tmp_path, today=later, documents=["gracieux"], formats=["docx"]
    )
    assert result.fichiers == []
    assert len(result.refus) == 1
    # Notified 20 October 2026: échéance 20 December (a Sunday) + 1 day -> Monday 21 December 2026.
    assert "le délai de recours gracieux a expiré le 21 décembre 2026" in result.refus[0]
    assert "R.314-3" in result.refus[0]  # what remains possible
    assert "--hors-delai" in result.refus[0]
    # Overwriting is not the same as generating out of time.
    forced = generate(
        dossier, sortie=tmp_path, today=later, documents=["gracieux"], formats=["docx"], force=True
    )
    assert forced.fichiers == [] and len(forced.refus) == 1
    late = generate(
        dossier,
        sortie=tmp_path,
        today=later,
        documents=["gracieux"],
        formats=["docx"],
        hors_delai=True,
    )
    [written] = late.fichiers
    assert written.path.name == "recours-gracieux_departement-de-la-sarthe.docx"
    text = "\n".join(docx_paragraphs(written.path))
    assert "formé dans le délai" not in text
    assert "qu'il interrompt" not in text
    assert any("généré hors délai à votre demande" in w for w in late.avertissements)


def test_second_recours_gracieux_is_refused_unless_hors_delai(tmp_path: Path) -> None:
    raw = load_yaml((ROOT / "examples" / "chrs-prefet-region.yaml").read_text(encoding="utf-8"))
    del raw["decisions"][1]  # only the 2026 decision, whose recours gracieux was sent
    dossier = validate_dossier(raw, "chrs")
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["gracieux"], formats=["docx"]
    )
    assert result.fichiers == []
    assert result.refus == [
        "recours gracieux — Préfecture de la région Hauts-de-France : un recours gracieux a déjà été "
        "envoyé le 3 août 2026 ; un second recours gracieux n'interromprait pas de nouveau le délai "
        "de recours contentieux (CRPA, art. L.411-2). Pour le générer quand même (par exemple pour "
        "le faire examiner par un avocat), utilisez --hors-delai : le document ne dira pas qu'il "
        "est formé dans le délai."
    ]


def test_existing_files_are_never_overwritten_without_force(tmp_path: Path) -> None:
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    first = generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"])
    target = first.fichiers[0].path
    target.write_bytes(b"modifie par l'utilisateur")
    with pytest.raises(FileExistsRefusedError) as info:
        generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"])
    assert "rien n'a été écrit" in str(info.value)
    assert target.read_bytes() == b"modifie par l'utilisateur"
    generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"], force=True)
    assert target.read_bytes().startswith(b"PK")


def test_interrupted_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"])
    assert list(tmp_path.iterdir()) == []


def test_bordereau_folder_matches_inventory(tmp_path: Path) -> None:
    dossier = load_dossier(ROOT / "examples" / "chrs-prefet-region.yaml")
    result = generate(dossier, sortie=tmp_path, today=TODAY, formats=["pdf"], bordereau=True)
    folder = tmp_path / "telerecours_requete_dgf-2026_prefecture-de-la-region-hauts-de-france"
    table_name = "06_Tableau-de-calcul-des-montants-dus-au-titre-de-l-accord-du-4-juin-2024.pdf"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [table_name, "inventaire.pdf", "requete.pdf"]
    inventory = squash(pdf_text(folder / "inventaire.pdf"))
    for missing in result.a_fournir:
        assert Path(missing).name in inventory
    assert table_name in inventory
    # CJA R.414-5: each file begins with the pièce's inventory number and describes it.
    assert [Path(p).name for p in result.a_fournir] == [
        "01_Decision-attaquee-arrete-de-tarification-n-2026-CHRS-0093-du-8-juin-2026.pdf",
        "02_Recours-gracieux-du-3-aout-2026-et-preuve-de-son-envoi.pdf",
        "03_Avis-de-reception-du-recours-gracieux-5-aout-2026.pdf",
        "04_Statuts-de-l-association.pdf",
        "05_Piece-justifiant-de-la-qualite-pour-agir-du-representant-legal.pdf",
    ]
    # The contested decision is mandatory: reported first, before anything else.
    assert result.avertissements[0].startswith("Pièce obligatoire du dépôt Télérecours non fournie")
    assert "pièce n° 1 (Décision attaquée : arrêté de tarification" in result.avertissements[0]
    # No pièce for the budget proposals: the ground they support is not printed, because the
    # dossier does not confirm the other fact it needs (abattement_sans_contradictoire).
    table = normalise_pdf(pdf_text(folder / table_name))
    # The requête against the 2026 DGF claims 2026 only: 4.5 x 238 x 12 x 1.5 = 19 278,00,
    # received 6 000,00 -> remaining 13 278,00 (2024 and 2025 are not folded into it).
    assert "19 278,00 €" in table and "13 278,00 €" in table
    assert "17 136,00 €" not in table


def test_piece_file_names_fit_telerecours() -> None:
    from recours.documents.context import nom_fichier_piece

    long_title = "Propositions budgétaires de l'exercice 2026 transmises à l'autorité " * 3
    name = nom_fichier_piece(12, long_title, 80)
    assert len(name) <= 80
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", name)
    # 74 characters: the next word (« -Propositions ») would pass 80, so the name stops at
    # the end of a word instead of cutting one.
    assert name == "12_Propositions-budgetaires-de-l-exercice-2026-transmises-a-l-autorite.pdf"
    assert nom_fichier_piece(3, "Statuts de l'association", 80) == "03_Statuts-de-l-association.pdf"


def _pdf_bytes(text: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = __import__("io").BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _chrs_with_files(folder: Path, extra: dict[str, Any]) -> Any:
    raw = load_yaml((ROOT / "examples" / "chrs-prefet-region.yaml").read_text(encoding="utf-8"))
    raw["decisions"][0]["fichier"] = "scans/decision.pdf"
    raw["organisme"]["fichier_statuts"] = str(folder / "scans" / "statuts.pdf")  # absolute
    raw["pieces_complementaires"] = [
        "Attestation du commissaire aux comptes",
        {"intitule": "Propositions budgétaires 2026", "fichier": "scans/propositions.pdf"},
    ]
    raw.update(extra)
    return validate_dossier(raw, "pièces")


def test_user_pieces_are_checked_copied_numbered_listed_and_zipped(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("decision", "statuts", "propositions"):
        (scans / f"{name}.pdf").write_bytes(_pdf_bytes(name))
    dossier = _chrs_with_files(tmp_path, {})
    out = tmp_path / "out"
    result = generate(
        dossier,
        sortie=out,
        today=TODAY,
        formats=["pdf"],
        archive=True,
        dossier_dir=tmp_path,
    )
    folder = out / "telerecours_requete_dgf-2026_prefecture-de-la-region-hauts-de-france"
    decision = folder / (
        "01_Decision-attaquee-arrete-de-tarification-n-2026-CHRS-0093-du-8-juin-2026.pdf"
    )
    assert decision.read_bytes() == (scans / "decision.pdf").read_bytes()
    assert (folder / "04_Statuts-de-l-association.pdf").read_bytes() == (
        scans / "statuts.pdf"
    ).read_bytes()
    assert (folder / "08_Propositions-budgetaires-2026.pdf").is_file()
    assert "07_Attestation-du-commissaire-aux-comptes.pdf" in " ".join(result.a_fournir)
    assert not any("obligatoire" in w for w in result.avertissements)
    inventory = squash(pdf_text(folder / "inventaire.pdf"))
    assert "08_Propositions-budgetaires-2026.pdf" in inventory
    import zipfile

    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(Path(n).name for n in zipped.namelist()) == sorted(
            p.name for p in folder.iterdir()
        )
        assert zipped.read(f"{folder.name}/{decision.name}") == decision.read_bytes()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "fichier introuvable"),
        (b"%PDF-1.7\nce n'est pas un vrai PDF", "ne s'ouvre pas comme un PDF"),
        (b"GIF89a", "n'est pas un PDF lisible"),
        ("too-big", "au-delà de 32 Mo par fichier"),
    ],
)
def test_a_bad_piece_stops_the_run_before_anything_is_written(
    tmp_path: Path, content: bytes | str | None, expected: str
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("decision", "statuts", "propositions"):
        (scans / f"{name}.pdf").write_bytes(_pdf_bytes(name))
    target = scans / "decision.pdf"
    if content is None:
        target.unlink()
    elif content == "too-big":
        with target.open("r+b") as handle:
            handle.truncate(32_000_001)  # sparse: over the limit without writing 32 MB
    else:
        assert isinstance(content, bytes)
        target.write_bytes(content)
    out = tmp_path / "out"
    with pytest.raises(RecoursError) as info:
        generate(
            _chrs_with_files(tmp_path, {}),
            sortie=out,
            today=TODAY,
            bordereau=True,
            dossier_dir=tmp_path,
        )
    message = str(info.value)
    assert "rien n'a été écrit" in message
    assert "pièce n° 1 (Décision attaquée" in message
    assert expected in message
    assert not out.exists()


def test_pieces_complementaires_still_accept_plain_titles() -> None:
    dossier = _chrs_with_files(Path("/nonexistent"), {})
    assert [p.intitule for p in dossier.pieces_jointes] == [
        "Attestation du commissaire aux comptes",
        "Propositions budgétaires 2026",
    ]
    assert dossier.pieces_jointes[0].fichier is None


def test_default_plan_follows_the_stage() -> None:
    ref = load_referentiel()
    mecs = analyse(load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml"), TODAY, ref)
    chrs = analyse(load_dossier(ROOT / "examples" / "chrs-prefet-region.yaml"), TODAY, ref)
    assert [(d.kind, d.decisions) for d in mecs.plan()] == [("gracieux", (0,))]
    # The recours gracieux awaits the court; the rejected demande indemnitaire too.
    assert [(d.kind, d.decisions) for d in chrs.plan()] == [
        ("requete", (0,)),
        ("requete_indemnitaire", ()),
    ]


def test_letters_to_authorities_with_the_same_long_name_prefix_get_distinct_files(
    tmp_path: Path,
) -> None:
    # Review: slugs are cut at 60 characters; two letters used to share one file name, so
    # the second silently replaced the first in the same run.
    data = load_yaml((ROOT / "examples" / "multisite-ars-cpom.yaml").read_text("utf-8"))
    prefix = "Agence régionale de santé d'Île-de-France, délégation départementale de"
    data["autorites"][0]["nom"] = prefix + " la Seine-Saint-Denis"
    data["autorites"][1]["nom"] = prefix + " Paris"
    dossier = validate_dossier(data, "test")
    stems = [d.stem for d in analyse(dossier, TODAY, load_referentiel()).documents]
    assert len(set(stems)) == len(stems)
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["gracieux"], formats=["docx"]
    )
    assert len({f.path for f in result.fichiers}) == len(result.fichiers) == 2


def test_a_template_with_an_unknown_variable_fails_clearly(tmp_path: Path) -> None:
    custom = tmp_path / "modeles"
    custom.mkdir()
    (custom / "recours_gracieux.html").write_text(
        "<html><body>{{ organisme.raison_socialle }}</body></html>", encoding="utf-8"
    )
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    documents_module.renderers_for.cache_clear()
    with pytest.raises(TemplateError) as info:
        generate(dossier, sortie=tmp_path / "out", today=TODAY, formats=["pdf"], modeles=custom)
    assert "recours_gracieux.html" in str(info.value)
    assert "raison_socialle" in str(info.value)


def test_weasyprint_fetches_nothing_outside_the_templates(tmp_path: Path) -> None:
    from recours.documents.render_pdf import TemplateFolderFetcher
    from recours.documents.sandbox import bundled_templates_dir

    fetcher = TemplateFolderFetcher([bundled_templates_dir()])
    ok = fetcher.fetch((bundled_templates_dir() / "style.css").as_uri())
    assert b"@page" in ok.read()
    for url in (
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/x.png",
        (bundled_templates_dir() / ".." / "pyproject.toml").as_uri(),
    ):
        with pytest.raises(ValueError, match="accès refusé"):
            fetcher.fetch(url)


def test_grounds_without_their_facts_are_not_printed_and_the_user_is_told(
    tmp_path: Path,
) -> None:
    dossier = load_dossier(ROOT / "examples" / "multisite-ars-cpom.yaml")
    result = generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"])
    ars = next(tmp_path.glob("recours-gracieux_agence-*.docx"))
    text = "\n".join(docx_paragraphs(ars))
    assert "Révision du CPOM" not in text
    assert "Égalité de traitement" not in text
    assert (
        "recours gracieux — Agence régionale de santé d'Île-de-France : le moyen « Révision du "
        "CPOM » n'est pas imprimé, faute de réponse « oui » à la question : Votre CPOM "
        "comporte-t-il une clause de révision de ses moyens ? (decisions[0].faits."
        "cpom_clause_revision, avec la pièce qui le montre)." in result.avertissements
    )


def test_uncertain_grounds_are_flagged_to_the_user(tmp_path: Path) -> None:
    raw = load_yaml((ROOT / "examples" / "multisite-ars-cpom.yaml").read_text(encoding="utf-8"))
    for decision in raw["decisions"]:
        decision["faits"] = {"cpom_clause_revision": {"reponse": "oui", "piece": "CPOM art. 12"}}
    dossier = validate_dossier(raw, "cpom")
    result = generate(dossier, sortie=tmp_path, today=TODAY, formats=["docx"])
    assert (
        "recours gracieux — Agence régionale de santé d'Île-de-France : moyens dont le fondement "
        "est marqué « à vérifier » dans le référentiel, à relire avant envoi : Révision du CPOM."
        in result.avertissements
    )
    text = "\n".join(docx_paragraphs(next(tmp_path.glob("recours-gracieux_agence-*.docx"))))
    assert "Révision du CPOM" in text
    assert "CPOM art. 12" in text  # the pièce that shows the fact is listed


def test_missing_harfbuzz_subset_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recours.documents import render_pdf

    monkeypatch.setattr(render_pdf.ctypes.util, "find_library", lambda name: None)
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    result = generate(dossier, sortie=tmp_path, today=TODAY, formats=["pdf"])
    assert any(w.startswith("libharfbuzz-subset est absente") for w in result.avertissements)
    docx_only = generate(dossier, sortie=tmp_path / "w", today=TODAY, formats=["docx"])
    assert not any("libharfbuzz" in w for w in docx_only.avertissements)


def test_a_file_appearing_during_the_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recours import files

    target = tmp_path / "lettre.docx"
    target.write_bytes(b"du collegue")
    monkeypatch.setattr(files, "check_writable", lambda path, force: None)  # the race window
    with pytest.raises(FileExistsRefusedError):
        files.atomic_write_bytes(target, b"nouveau", force=False)
    assert target.read_bytes() == b"du collegue"
    assert [p.name for p in tmp_path.iterdir()] == ["lettre.docx"]  # no temporary file left


def _two_departements() -> Any:
    raw = load_yaml((ROOT / "examples" / "multisite-ars-cpom.yaml").read_text(encoding="utf-8"))
    sessad = raw["etablissements"][1]
    sessad.update(departement="971", finess="970000018")
    sessad["adresse"]["code_postal"] = "97100"
    return validate_dossier(raw, "deux départements")


def test_deadline_warnings_cover_every_departement_of_a_decision() -> None:
    from recours.law.procedure import decision_deadlines

    dossier = _two_departements()
    report = decision_deadlines(dossier, dossier.decisions[0], TODAY)
    # The first établissement is in 93; the SESSAD in 971 adds the overseas warning.
    assert any("R.421-7" in w for w in report.avertissements)


def test_several_tariff_courts_are_not_presented_as_verified() -> None:
    from recours.law.procedure import competent_court

    raw = load_yaml((ROOT / "examples" / "multisite-ars-cpom.yaml").read_text(encoding="utf-8"))
    sessad = raw["etablissements"][1]
    sessad.update(departement="59", finess="590000021")  # tariff court Lille, IME: Paris
    sessad["adresse"]["code_postal"] = "59000"
    dossier = validate_dossier(raw, "deux tribunaux")
    court = competent_court(dossier, dossier.decisions[0])
    assert court.verifie is False
    assert "plusieurs tribunaux" in (court.avertissement or "")


def test_every_word_file_is_a_sound_zip_with_the_template_s_fonts(
    generated: dict[str, list[Path]],
) -> None:
    # The fonts are copied from the template still compressed (render_docx._ReusingZipWriter):
    # every member must still pass the zip format's own CRC check, and the fonts be intact.
    import zipfile

    template = zipfile.ZipFile(Path(__file__).parents[1] / "templates" / "recours_gracieux.docx")
    fonts = {n: template.read(n) for n in template.namelist() if n.startswith("word/fonts/")}
    assert fonts
    for path in (p for files in generated.values() for p in files if p.suffix == ".docx"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
            for name, data in fonts.items():
                if name in archive.namelist():
                    assert archive.read(name) == data, (path, name)
