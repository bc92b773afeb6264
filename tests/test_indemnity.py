"""Tests of the indemnity routes: referential, prescription quadriennale, the chain after a
demande indemnitaire préalable, the Lafon risk and the route table.

"VD §x" refers to shared/domaine/voies-de-droit.md. Expected values were typed from the
digest and the calendar, not from the engine or the YAML.
"""

from __future__ import annotations

import string

import pytest

from recours.law.referentiel import load_referentiel, texte_voie

# --- referential -----------------------------------------------------------------------

# (article key, confidence the digest gives) — VD §0, §1.4, §2, §5.1.
DIGEST_CONFIDENCE = [
    ("loi-1968-art1", "C2"),  # §2 "Art. 1 ... [C2] L1968"
    ("loi-1968-art2", "C2"),  # §2 "Art. 2 ... [C2] L1968"
    ("loi-1968-art3", "S1"),  # §2 "Art. 3 ... [S1]"
    ("loi-1968-art7", "S1"),  # §2 "Art. 7 ... [S1]"
    ("crpa-l231-4-3", "C2"),  # §2 "L.231-4 3° ... [C2] CRPA-26"
    ("crpa-l411-2-al2", "C2"),  # §5.1 [C2] CRPA-26
    ("crpa-l411-7", "C2"),  # §5.1 [C2] CRPA-26
    ("csp-l1432-1", "S1"),  # §5.1 DG ARS -> ministers [S1]
    ("cja-r421-1-al2", "C2"),  # §2 liaison du contentieux [C2]
    ("cja-r421-3", "C2"),  # §2 [C2] CJA-m R.421-3
    ("ce-avis-420797", "C2"),  # §2 [C2]
    ("ce-vichy-413097", "C2"),  # §2 "Confirmed. [C2]"
    ("ce-lafon", "C2"),  # §0.3 [C2]
    ("ce-405355", "C2"),  # §0.3 / §1.4 [C2]
    ("cc-1231-6", "C2"),  # §2 Interest [C2]
    ("cc-1343-2", "C2"),  # §2 Capitalisation [C2 wording]
    ("caa-paris-23pa04085", "S1"),  # §2 repeat claim [S1]
    ("cja-r431-2", "C2"),  # §2 Who signs [C2] CJA-m
    ("cja-r431-3", "C2"),  # §2 Who signs [C2] CJA-m
]


@pytest.mark.parametrize(("key", "confiance"), DIGEST_CONFIDENCE)
def test_articles_carry_the_digest_confidence(key: str, confiance: str) -> None:
    article = load_referentiel().article(key)
    assert article.confiance == confiance
    assert article.source


def test_uncertain_points_are_marked_uncertain() -> None:
    ref = load_referentiel()
    # §2 / open question 8: ARS as "établissement public doté d'un comptable public" [U].
    assert "n'a pas été vérifié" in (ref.article("loi-1968-art1").note or "")
    assert ref.textes_voies["prescription_personne_publique"].confiance == "U"
    # §1.4 / open question 3: is a tariff arrêté "à objet purement pécuniaire"? [U].
    assert ref.textes_voies["lafon_risque"].confiance == "U"
    assert ref.textes_voies["lafon_sans_decision"].confiance == "U"  # §1.3 step 4 [U]
    # §2 worked example: recours gracieux as a "réclamation écrite" [C2 text / U application].
    assert ref.textes_voies["prescription_interruption_gracieux"].confiance == "U"
    # §5.1: préfet -> minister [U]; PCD -> no hierarchical superior [U]; DG ARS [S1].
    hier = ref.recours_hierarchique
    assert (hier["ars"].possible, hier["ars"].confiance) == (True, "S1")
    assert hier["prefet_departement"].confiance == "U"
    assert hier["prefet_region"].confiance == "U"  # open question 7
    assert (hier["conseil_departemental"].possible, hier["conseil_departemental"].superieur) == (
        False,
        None,
    )
    assert ref.prescription.duree_annees == 4  # §2 art. 1 "quatre ans"


def test_every_text_cites_what_it_references() -> None:
    """Each sentence names (by its short label) every article it lists, and nothing unknown."""
    ref = load_referentiel()
    for key, texte in ref.textes_voies.items():
        assert texte.references, key
        for article in texte.references:
            assert ref.article(article).court in texte.texte, (key, article)


# Placeholders each text is rendered with by the engines (a missing one is a KeyError).
PLACEHOLDERS = {
    "prescription_cours": {"annee", "debut", "fin"},
    "prescription_point_de_depart": set(),
    "prescription_bientot": {"annee", "fin", "jours"},
    "prescription_acquise": {"annee", "lendemain", "fin"},
    "prescription_interruption": {"annee", "acte", "date", "debut", "fin"},
    "prescription_interruption_gracieux": {"annee", "date"},
    "prescription_interruption_tardive": {"annee", "acte", "date", "fin"},
    "prescription_date_interruption": {"acte", "envoi", "reception"},
    "prescription_action_en_justice": {"annee", "date"},
    "prescription_personne_publique": set(),
    "indemnitaire_attente": {"reception", "rejet_implicite"},
    "indemnitaire_reception_inconnue": {"envoi"},
    "indemnitaire_delai_implicite": {"rejet_implicite", "date_limite"},
    "indemnitaire_ar_inconnu": set(),
    "indemnitaire_sans_delai": {"rejet_implicite"},
    "indemnitaire_rejet_explicite": {"date", "date_limite"},
    "indemnitaire_rejet_sans_mentions": {"date"},
    "indemnitaire_rejet_apres_delai": {"date", "date_limite"},
    "indemnitaire_confirmative": {"date"},
    "indemnitaire_avocat_collectivite": set(),
    "indemnitaire_avocat_obligatoire": set(),
    "lafon_risque": {"annee", "date"},
    "lafon_sans_decision": {"annee"},
    "hierarchique_double": {"date_depart", "date_limite"},
    "hierarchique_ars": set(),
    "hierarchique_incertain": {"autorite", "superieur", "date_limite", "date_double"},
    "hierarchique_pcd": set(),
    "hierarchique_tardif": {"date", "date_limite"},
    "hierarchique_reception_inconnue": {"envoi"},
    "hierarchique_ar_non_conforme": set(),
}


def test_text_placeholders() -> None:
    ref = load_referentiel()
    assert set(ref.textes_voies) == set(PLACEHOLDERS)
    for key, texte in ref.textes_voies.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(texte.texte) if name}
        assert fields == PLACEHOLDERS[key], key


def test_texte_voie_renders_and_refuses_unknown_keys() -> None:
    assert texte_voie(
        "prescription_cours", annee=2024, debut="1er janvier 2025", fin="31 décembre 2028"
    ) == (
        "Exercice 2024 : la prescription quadriennale court du 1er janvier 2025 au 31 décembre"
        " 2028 inclus (loi n° 68-1250 du 31 déc. 1968, art. 1er)."
    )
    from recours.errors import ReferentielError

    with pytest.raises(ReferentielError, match="texte inconnu du référentiel : absent"):
        texte_voie("absent")


# VD §8: each route of the table, and whether recours drafts it (issue 11).
ROUTES = {
    "recours_gracieux": True,
    "recours_hierarchique": True,
    "requete_tarif": True,
    "reprise_deficit": False,
    "demande_indemnitaire": True,
    "requete_indemnitaire": True,
    "refere_provision": False,
    "refere_suspension": False,
    "rep_acte_general": False,
    "demande_motifs": False,
    "mediation": False,
    "demande_defere": False,
    "mise_en_demeure": True,
    "demande_fixation": False,
    "demande_dm": False,
}


def test_route_table() -> None:
    voies = load_referentiel().voies
    assert {key: voie.redige for key, voie in voies.items()} == ROUTES
    # §3 "The tool should not offer it by default"; §5.2 "offer only as an expert option".
    assert {key for key, voie in voies.items() if not voie.par_defaut} == {
        "refere_suspension",
        "demande_defere",
    }
    for voie in voies.values():
        assert voie.quand and voie.donnees and voie.delai and voie.avocat and voie.source
