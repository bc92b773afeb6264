"""The legal referential: it loads, its references resolve, its facts match the research
digest they come from, and uncertain facts are shown as uncertain."""

from __future__ import annotations

import re
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from recours.cli.main import main
from recours.dossier.identifiers import DEPARTEMENT_RE
from recours.errors import ReferentielError
from recours.law.referentiel import TypeAutorite, article_label, load_referentiel

ROOT = Path(__file__).resolve().parent.parent
# Research digest the referential was written from (outside the package; may be absent).
DIGEST = Path("/work/shared/domaine/accord-segur-pour-tous.md")


def test_loads_once() -> None:
    ref = load_referentiel()
    assert ref is load_referentiel()
    assert ref.version == "2026-11-22"


def test_every_reference_resolves() -> None:
    ref = load_referentiel()
    keys = [ref.accord.agrement.fondement, ref.accord.extension.fondement]
    keys += [k for moyen in ref.moyens.values() for k in moyen.references]
    keys += [k for regle in ref.avocat.values() for k in regle.references]
    keys += [k for possibilite in ref.apres_expiration for k in possibilite.references]
    assert keys  # the lists above are not all empty
    assert sorted(set(keys) - set(ref.articles)) == []
    for regime in ref.regimes.values():
        assert set(regime.moyens) <= set(ref.moyens)


def test_article_keys_used_in_code_exist() -> None:
    """Article keys written as literals in the code or the templates are in the referential."""
    ref = load_referentiel()
    prefixes = {key.split("-")[0] for key in ref.articles}
    alternatives = "|".join(sorted(prefixes))
    literal = re.compile(rf"""["']((?:{alternatives})-[a-z0-9-]+)["']""")
    files = [*(ROOT / "src" / "recours").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    used = {m for f in files for m in literal.findall(f.read_text(encoding="utf-8"))}
    assert "crpa-l411-2" in used  # the scan finds the deadline engine's keys
    assert sorted(used - set(ref.articles)) == []


def test_article_label() -> None:
    assert article_label("crpa-l411-2") == "CRPA, art. L.411-2"
    assert article_label("cja-r421-1") == "CJA, art. R.421-1"
    with pytest.raises(ReferentielError, match=r"^article inconnu du référentiel : cja-r999$"):
        article_label("cja-r999")


# --------------------------------------------------------------------- accord facts
# Expected values typed from shared/domaine/accord-segur-pour-tous.md, not from the YAML.


def test_accord_facts() -> None:
    ref = load_referentiel()
    acc = ref.accord
    assert acc.date_signature.valeur == date(2024, 6, 4)  # §1.1, accord du 4 juin 2024 [C2]
    assert acc.montant_mensuel_brut.valeur == Decimal(238)  # §1.3 "238 € brut per month" [C2]
    assert acc.date_effet.valeur == date(2024, 1, 1)  # §1.3 "Retroactive to 1 January 2024" [C2]
    # §1.7: arrêté d'agrément du 25 juin 2024, JO du 26 juin 2024, NOR TSSA2417036A.
    assert (acc.agrement.date, acc.agrement.publication) == (date(2024, 6, 25), date(2024, 6, 26))
    assert acc.agrement.nor == "TSSA2417036A"
    assert acc.agrement.fondement == "casf-l314-6"
    # §1.7: arrêté d'extension du 5 août 2024, JO du 6 août 2024 (C. trav. L.2261-15).
    assert (acc.extension.date, acc.extension.publication) == (date(2024, 8, 5), date(2024, 8, 6))
    assert acc.extension.fondement == "ct-l2261-15"
    # §1.4: the proration clause of the accord was not retrieved: uncertain.
    assert acc.proratisation.confiance == "U"
    assert not acc.proratisation.verifie
    # §1.5 and §3.3: DGCS costing 5 270 € a person a year, instruction n° 2024/97.
    dgcs = ref.cout_unitaire_dgcs
    assert dgcs.valeur == Decimal(5270)
    assert "CNSA/2024/97 du 27 juin 2024" in dgcs.instruction
    assert dgcs.confiance == "S1"  # a single source (AXIOME-24)


@pytest.mark.skipif(not DIGEST.exists(), reason=f"{DIGEST} absent (outside the repository)")
@pytest.mark.parametrize(
    "passage",
    [
        "**238 € brut per month**",
        "Retroactive to **1 January 2024**",
        "NOR **TSSA2417036A** | **25 June 2024** | **JO of 26 June 2024**",
        "| **5 August 2024** | JO of 6 August 2024 |",
        "**5,270 € per year per person, social charges included**",
        "Instruction n° DGCS/SD3A/SD3B/SD4B/SD5B/DSS/SD1A/CNSA/2024/97 of 27 June 2024",
    ],
)
def test_digest_still_says_so(passage: str) -> None:
    """The facts asserted above are still the ones of the research digest."""
    assert passage in DIGEST.read_text(encoding="utf-8")


# ------------------------------------------------------------ authorities, tribunaux


def test_categories_name_known_authority_types() -> None:
    ref = load_referentiel()
    types = set(typing.get_args(TypeAutorite))
    assert set(ref.autorites) == types  # every type has its letter-heading data
    assert set(ref.avocat) == types  # and its rule on lawyers
    for key, cat in ref.categories.items():
        assert set(cat.autorites) <= types, key
        # Co-financed means two tariff authorities (CASF L.314-1 III a, IV, V).
        assert cat.cofinance == (len(cat.autorites) > 1), key


@pytest.mark.parametrize(
    ("categorie", "autorites"),
    [
        # accord-segur-pour-tous.md §4 / CASF L.314-1.
        ("ime", ["ars"]),  # I
        ("mecs", ["conseil_departemental"]),  # II
        ("fam", ["ars", "conseil_departemental"]),  # V
        ("camsp", ["ars", "conseil_departemental"]),  # IV
        ("pjj_etat", ["prefet_departement"]),  # III b
        ("chrs", ["prefet_region"]),  # I, représentant de l'État dans la région
    ],
)
def test_tariff_authority_of_some_categories(categorie: str, autorites: list[str]) -> None:
    assert load_referentiel().categories[categorie].autorites == autorites


@pytest.mark.parametrize("code", ["92", "2A", "2B"])
def test_unconfirmed_tariff_courts(code: str) -> None:
    # tribunaux.csv: the tariff court of these départements could not be confirmed.
    row = load_referentiel().tribunal(code)
    assert row.verifie is False
    assert row.ta_tarification is None


def test_tribunaux_rows() -> None:
    ref = load_referentiel()
    assert len(ref.departements) == 109
    assert ref.tribunal("75").ta_tarification == "Paris"
    assert ref.tribunal("2A").ta_droit_commun == "Bastia"
    # No tariff court is ever given without being confirmed, nor confirmed when missing.
    for row in ref.departements.values():
        assert (row.ta_tarification is None) <= (not row.verifie), row.code
    with pytest.raises(ReferentielError, match=r"^département inconnu : 20$"):
        ref.tribunal("20")


def test_every_valid_departement_has_a_tribunal_row() -> None:
    codes = [f"{i:02d}" for i in range(100)] + ["2A", "2B"] + [str(i) for i in range(970, 990)]
    accepted = {c for c in codes if DEPARTEMENT_RE.match(c)}
    assert accepted == set(load_referentiel().departements)


def test_delais_rules() -> None:
    delais = load_referentiel().delais
    assert (delais.recours_mois, delais.rejet_implicite_mois) == (2, 2)  # CJA R.421-1, CRPA L.231-4
    assert delais.delai_raisonnable_annees == 1  # CE, Ass., 2016, Czabaj
    assert delais.departements_alsace_moselle == ["57", "67", "68"]


# --------------------------------------------------------------- `recours referentiel`


def test_cli_marks_uncertain_facts(runner: CliRunner) -> None:
    result = runner.invoke(main, ["referentiel"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Référentiel juridique de recours (recherche du 2026-11-22)"

    def line(start: str) -> str:
        [found] = [x for x in lines if x.startswith(start)]
        return found

    assert line("  Proratisation : ").endswith("[À VÉRIFIER — incertain, à vérifier]")
    assert line("  Montant : 238 ").endswith("[C2 : confirmé (au moins deux sources)]")
    assert line("  Agrément : ").endswith("[C2 : confirmé (au moins deux sources)]")
    assert line("  5\u202f270 € par personne").endswith("[S1 : une seule source]")
    ref = load_referentiel()
    for key, cat in ref.categories.items():
        shown = line(f"  {key} — ")
        assert ("À VÉRIFIER" in shown) is (cat.confiance == "U"), shown
    for moyen in ref.moyens.values():
        # A ground shared by two budget regimes is listed under each.
        shown_all = [x for x in lines if x.startswith(f"    • {moyen.intitule} ")]
        assert shown_all
        for shown in shown_all:
            assert ("À VÉRIFIER" in shown) is (moyen.confiance == "U"), shown
    assert line("   2A Corse-du-Sud") == (
        "   2A Corse-du-Sud : TA Bastia ; tarification : NON TROUVÉ  [À VÉRIFIER]"
    )
    assert line("   92 Hauts-de-Seine") == (
        "   92 Hauts-de-Seine : TA Cergy-Pontoise ; tarification : NON TROUVÉ  [À VÉRIFIER]"
    )
    assert line("   75 Paris") == "   75 Paris : TA Paris ; tarification : Paris"


def test_cli_referentiel_json(runner: CliRunner) -> None:
    import json

    result = runner.invoke(main, ["referentiel", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["accord"]["montant_mensuel_brut"]["valeur"] == "238"
    assert data["departements"]["92"] == {
        "code": "92",
        "departement": "Hauts-de-Seine",
        "ta_droit_commun": "Cergy-Pontoise",
        "ta_tarification": None,
        "verifie": False,
    }


def test_the_referential_has_no_duplicate_key() -> None:
    # A key written twice in YAML silently keeps the last one: refused like in a dossier.
    from importlib import resources

    from recours.dossier.validation import load_yaml

    text = (resources.files("recours") / "data" / "referentiel.yaml").read_text(encoding="utf-8")
    assert isinstance(load_yaml(text), dict)
