"""Tests of the indemnity routes: referential, prescription quadriennale, the chain after a
demande indemnitaire préalable, the Lafon risk and the route table.

"VD §x" refers to shared/domaine/voies-de-droit.md. Expected values were typed from the
digest and the calendar, not from the engine or the YAML.
"""

from __future__ import annotations

import json
import string
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from recours.cli.main import main
from recours.dossier.validation import validate_dossier
from recours.errors import DossierInvalidError, ReferentielError
from recours.law.deadlines import add_months
from recours.law.indemnity import (
    ACTE_DEMANDE_INDEMNITAIRE,
    ACTE_MISE_EN_DEMEURE,
    ACTE_RECOURS_GRACIEUX,
    ACTE_REQUETE,
    PRESCRIPTION_ALERT_DAYS,
    DemandeIndemnitaireInput,
    Reclamation,
    compute_indemnity_chain,
    compute_prescription,
    lafon_risk,
)
from recours.law.referentiel import TypeAutorite, load_referentiel, texte_voie
from recours.law.routes import (
    ExerciseFacts,
    demande_input,
    dossier_reclamations,
    notified_unpaid,
    possible_routes,
)

D = date

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
    "requete_indemnitaire_tribunal": {"tribunal", "date_tarification"},
    "requete_indemnitaire_liaison": {"reception", "rejet"},
    "requete_indemnitaire_rejet_implicite": {"duree", "date"},
    "requete_indemnitaire_delai_explicite": {"duree", "date_limite"},
    "requete_indemnitaire_delai_implicite": {"duree", "date_limite"},
    "requete_indemnitaire_delai_implicite_ar_inconnu": {"duree", "date_limite"},
    "requete_indemnitaire_sans_delai_ar": set(),
    "requete_indemnitaire_sans_delai_rejet": set(),
    "requete_indemnitaire_interets": {"reception"},
    "requete_indemnitaire_conclusions_interets": {"reception"},
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
    "indemnitaire_rejet_implicite_lendemain": {
        "rejet_implicite",
        "lendemain",
        "autre_date",
        "date_limite",
    },
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
    "hierarchique_destinataire_incertain": {"autorite", "superieur"},
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


# --- prescription quadriennale ---------------------------------------------------------

DI = ACTE_DEMANDE_INDEMNITAIRE
MED = ACTE_MISE_EN_DEMEURE
RG = ACTE_RECOURS_GRACIEUX

PRESCRIPTION_CASES = [
    # (id, exercise, claims, today, start of period, last day, status, warning codes)
    # VD §2 worked example: 2024 cost -> runs from 1 Jan 2025 -> prescribed 31 Dec 2028.
    ("ex-2024", 2024, [], D(2026, 12, 1), D(2025, 1, 1), D(2028, 12, 31), "ouvert",
     {"prescription_cours", "prescription_point_de_depart"}),
    # VD §2 worked example: claim received in 2026 -> new period from 1 Jan 2027 -> 2030
    # (loi 68-1250 art. 2).
    ("ex-2024-claim-2026", 2024, [Reclamation(DI, D(2026, 3, 2), D(2026, 3, 4))],
     D(2026, 12, 1), D(2027, 1, 1), D(2030, 12, 31), "ouvert", {"prescription_interruption"}),
    # VD §2: "a recours gracieux ... that claims the Ségur amount is itself a réclamation
    # écrite (art. 2) [C2 text / U application]": same dates, uncertainty shown.
    ("ex-2024-gracieux-2026", 2024, [Reclamation(RG, D(2026, 4, 10), D(2026, 4, 13))],
     D(2026, 12, 1), D(2027, 1, 1), D(2030, 12, 31), "ouvert",
     {"prescription_interruption", "prescription_interruption_gracieux"}),
    # Art. 2: a mise en demeure is a "demande de paiement" (VD §7.1): claim in 2025 -> 2029.
    ("mise-en-demeure-2025", 2024, [Reclamation(MED, D(2025, 6, 2), D(2025, 6, 4))],
     D(2026, 12, 1), D(2026, 1, 1), D(2029, 12, 31), "ouvert", {"prescription_interruption"}),
    # Art. 1 + 2: a claim made during the exercise itself (before the period starts) does
    # not shorten it: still 31 Dec 2028.
    ("claim-during-year", 2024, [Reclamation(DI, D(2024, 11, 20), D(2024, 11, 22))],
     D(2026, 12, 1), D(2025, 1, 1), D(2028, 12, 31), "ouvert", {"prescription_interruption"}),
    # Art. 2: two successive claims (2026, then 2029 within the new period) -> 2033.
    ("two-claims", 2024,
     [Reclamation(DI, D(2026, 3, 2), D(2026, 3, 4)), Reclamation(MED, D(2029, 3, 1), D(2029, 3, 3))],
     D(2030, 1, 15), D(2030, 1, 1), D(2033, 12, 31), "ouvert", {"prescription_interruption"}),
    # Art. 1: 169 days before 31 Dec 2028 (tool lead time 180 days) -> "bientot_prescrit".
    ("soon", 2024, [], D(2028, 7, 15), D(2025, 1, 1), D(2028, 12, 31), "bientot_prescrit",
     {"prescription_bientot"}),
    # 183 days before: still "ouvert" (lead time is 180 days).
    ("not-yet-soon", 2024, [], D(2028, 7, 1), D(2025, 1, 1), D(2028, 12, 31), "ouvert",
     {"prescription_cours"}),
    # Last day itself: still claimable (bientot), 0 days left.
    ("last-day", 2024, [], D(2028, 12, 31), D(2025, 1, 1), D(2028, 12, 31), "bientot_prescrit",
     {"prescription_bientot"}),
    # Art. 1, 3, 7: the day after -> prescribed; the art. 3 / art. 7 caveats are shown.
    ("prescribed", 2024, [], D(2029, 1, 1), D(2025, 1, 1), D(2028, 12, 31), "prescrit",
     {"prescription_acquise"}),
    # Art. 2: a claim received after the last day interrupts nothing.
    ("late-claim", 2024, [Reclamation(DI, D(2028, 12, 29), D(2029, 1, 3))], D(2029, 2, 1),
     D(2025, 1, 1), D(2028, 12, 31), "prescrit", {"prescription_interruption_tardive"}),
    # [U] sending vs receipt: sent 30 Dec 2026, received 4 Jan 2027 -> counted from the year
    # of sending (2026) -> 31 Dec 2030, and flagged.
    ("sent-and-received-in-two-years", 2024, [Reclamation(MED, D(2026, 12, 30), D(2027, 1, 4))],
     D(2027, 2, 1), D(2027, 1, 1), D(2030, 12, 31), "ouvert",
     {"prescription_interruption", "prescription_date_interruption"}),
    # [U] receipt unknown for a claim sent in the last year: flagged.
    ("receipt-unknown-last-year", 2024, [Reclamation(DI, D(2028, 12, 20))], D(2029, 1, 10),
     D(2029, 1, 1), D(2032, 12, 31), "ouvert", {"prescription_date_interruption"}),
    # A claim about another exercise does not interrupt this one.
    ("other-exercise", 2024, [Reclamation(DI, D(2026, 3, 2), D(2026, 3, 4), frozenset({2025}))],
     D(2026, 12, 1), D(2025, 1, 1), D(2028, 12, 31), "ouvert", {"prescription_cours"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("annee", "claims", "today", "start", "last", "statut", "codes"),
    [case[1:] for case in PRESCRIPTION_CASES],
    ids=[case[0] for case in PRESCRIPTION_CASES],
)
def test_prescription(
    annee: int,
    claims: list[Reclamation],
    today: date,
    start: date,
    last: date,
    statut: str,
    codes: set[str],
) -> None:
    result = compute_prescription(annee, claims, today)
    assert (result.debut, result.date_limite, result.statut) == (start, last, statut)
    assert result.jours_restants == (last - today).days
    assert codes <= {w.code for w in result.avertissements}
    json.dumps(result.to_json())


def test_prescription_worked_example_sentences() -> None:
    # VD §2 worked example, as the user reads it.
    result = compute_prescription(
        2024, [Reclamation(DI, D(2026, 3, 2), D(2026, 3, 4))], D(2026, 12, 1)
    )
    texts = [w.texte for w in result.avertissements]
    assert (
        "Exercice 2024 : la demande indemnitaire préalable du 2 mars 2026 a interrompu la"
        " prescription ; un nouveau délai de quatre ans court du 1er janvier 2027 au"
        " 31 décembre 2030 inclus (loi n° 68-1250 du 31 déc. 1968, art. 2)." in texts
    )
    assert result.fondements == ("loi-1968-art1", "loi-1968-art2")


def test_prescription_soon_sentence_and_lead_time() -> None:
    assert PRESCRIPTION_ALERT_DAYS == 180  # a tool setting, documented in indemnity.py
    result = compute_prescription(2024, [], D(2028, 7, 15))
    assert [w.texte for w in result.avertissements if w.code == "prescription_bientot"] == [
        "Exercice 2024 : la créance sera prescrite après le 31 décembre 2028 (loi n° 68-1250"
        " du 31 déc. 1968, art. 1er), dans 169 jour(s). Faites parvenir avant cette date une"
        " réclamation écrite (demande indemnitaire préalable, mise en demeure ou recours"
        " gracieux chiffré) : elle interrompt la prescription (loi n° 68-1250 du 31 déc. 1968,"
        " art. 2)."
    ]


def test_prescription_requete_suspends_the_computation() -> None:
    # Art. 2: after a court action, the new period runs from 1 January after the decision
    # becomes final: no date can be computed.
    result = compute_prescription(2024, [Reclamation(ACTE_REQUETE, D(2027, 5, 3))], D(2027, 6, 1))
    assert (result.date_limite, result.statut, result.jours_restants) == (
        None,
        "action_en_cours",
        None,
    )
    assert "prescription_action_en_justice" in {w.code for w in result.avertissements}


def test_prescription_ars_comptable_public_uncertain() -> None:
    # VD §2 art. 1 / open question 8 [U]: shown, dates unchanged.
    with_ars = compute_prescription(2024, [], D(2026, 1, 1), type_autorite="ars")
    plain = compute_prescription(2024, [], D(2026, 1, 1), type_autorite="conseil_departemental")
    assert with_ars.date_limite == plain.date_limite == D(2028, 12, 31)
    codes = {w.code: w.confiance for w in with_ars.avertissements}
    assert codes["prescription_personne_publique"] == "U"
    assert "prescription_personne_publique" not in {w.code for w in plain.avertissements}


def test_prescription_refuses_impossible_claims() -> None:
    with pytest.raises(DossierInvalidError) as excinfo:
        compute_prescription(
            2024,
            [Reclamation(DI, D(2026, 3, 4), D(2026, 3, 2)), Reclamation("fax", D(2026, 1, 1))],
            D(2026, 6, 1),
        )
    assert [p.chemin for p in excinfo.value.problemes] == [
        "reclamations[0].reception",
        "reclamations[1].nature",
    ]


claims_strategy = st.lists(
    st.builds(
        Reclamation,
        st.sampled_from([DI, MED, RG]),
        st.dates(D(2024, 1, 1), D(2045, 12, 31)),
        st.none(),
        st.just(frozenset()),
    ),
    max_size=4,
)


@given(st.integers(2024, 2035), claims_strategy, st.dates(D(2024, 1, 1), D(2050, 12, 31)))
def test_prescription_properties(annee: int, claims: list[Reclamation], today: date) -> None:
    result = compute_prescription(annee, claims, today)
    assert result.date_limite is not None
    # Art. 1 and 2: a period always ends on 31 December and starts on 1 January.
    assert (result.date_limite.month, result.date_limite.day) == (12, 31)
    assert (result.debut.month, result.debut.day) == (1, 1)
    assert result.date_limite.year - result.debut.year == 3
    # An interruption never shortens the prescription, whichever claim is removed.
    assert result.date_limite >= D(annee + 4, 12, 31)
    for i in range(len(claims)):
        fewer = compute_prescription(annee, claims[:i] + claims[i + 1 :], today)
        assert fewer.date_limite is not None and fewer.date_limite <= result.date_limite
    expected = "prescrit" if today > result.date_limite else None
    if expected:
        assert result.statut == expected
    else:
        assert result.statut in {"ouvert", "bientot_prescrit"}
    json.dumps(result.to_json())


# --- the chain after a demande indemnitaire préalable ----------------------------------

SENT = D(2026, 3, 2)  # Mon
RECEIVED = D(2026, 3, 4)  # Wed -> implicit rejection Mon 4 May 2026 (L.231-4 3°, L.114-3)

CHAIN_CASES = [
    # (id, input, today, implicit rejection, evenement, start, last day, status, codes)
    # L.231-4 3° + L.114-3: implicit 4 May; compliant AR -> R.421-2 + CE avis 420797:
    # 4 Jul (Sat) + 1 = Sun 5 Jul -> Mon 6 Jul 2026. Before 4 May: wait (R.421-1 al. 2).
    ("waiting", DemandeIndemnitaireInput(SENT, RECEIVED, True), D(2026, 4, 1), D(2026, 5, 4),
     None, None, D(2026, 7, 6), "en_attente", {"indemnitaire_attente", "indemnitaire_delai_implicite"}),
    # Same, once the implicit rejection arose: 35 days left on 1 Jun 2026.
    ("implicit-compliant", DemandeIndemnitaireInput(SENT, RECEIVED, True), D(2026, 6, 1),
     D(2026, 5, 4), "rejet_implicite", D(2026, 5, 4), D(2026, 7, 6), "ouvert",
     {"indemnitaire_delai_implicite"}),
    # CE avis 420797 + CE Vichy 413097: AR without R.112-5 mentions -> no delay at all, no
    # one-year Czabaj limit: prescription only.
    ("implicit-non-compliant", DemandeIndemnitaireInput(SENT, RECEIVED, False), D(2026, 6, 1),
     D(2026, 5, 4), "rejet_implicite", D(2026, 5, 4), None, "sans_delai", {"indemnitaire_sans_delai"}),
    # AR unknown: treated as compliant (the shorter reading) and said.
    ("ar-unknown", DemandeIndemnitaireInput(SENT, RECEIVED), D(2026, 6, 1), D(2026, 5, 4),
     "rejet_implicite", D(2026, 5, 4), D(2026, 7, 6), "ouvert", {"indemnitaire_ar_inconnu"}),
    # R.421-1 + R.421-5: express rejection Wed 15 Apr 2026 with voies et délais, before the
    # implicit date -> 15 Jun + 1 = Tue 16 Jun 2026; no implicit rejection arises.
    ("express-first", DemandeIndemnitaireInput(SENT, RECEIVED, False, D(2026, 4, 15)),
     D(2026, 5, 1), None, "rejet_explicite", D(2026, 4, 15), D(2026, 6, 16), "ouvert",
     {"indemnitaire_rejet_explicite"}),
    # R.421-5 + CE Vichy: express rejection without voies et délais -> no delay, no Czabaj.
    ("express-no-mentions", DemandeIndemnitaireInput(SENT, RECEIVED, True, D(2026, 4, 15), False),
     D(2026, 5, 1), None, "rejet_explicite", D(2026, 4, 15), None, "sans_delai",
     {"indemnitaire_rejet_sans_mentions"}),
    # R.421-2: express rejection Wed 10 Jun 2026, after the implicit one but within its
    # delay -> runs again: 10 Aug + 1 = Tue 11 Aug 2026.
    ("express-restarts", DemandeIndemnitaireInput(SENT, RECEIVED, True, D(2026, 6, 10)),
     D(2026, 6, 20), D(2026, 5, 4), "rejet_explicite", D(2026, 6, 10), D(2026, 8, 11), "ouvert",
     {"indemnitaire_rejet_explicite"}),
    # R.421-2: express rejection 1 Aug 2026, after the delay expired on 6 Jul: no reopening.
    ("express-too-late", DemandeIndemnitaireInput(SENT, RECEIVED, True, D(2026, 8, 1)),
     D(2026, 8, 5), D(2026, 5, 4), "rejet_implicite", D(2026, 5, 4), D(2026, 7, 6), "expire",
     {"indemnitaire_rejet_apres_delai"}),
    # Non-compliant AR, then express rejection Sat 1 Aug 2026 with mentions (R.421-1,
    # R.421-5): 1 Oct + 1 = Fri 2 Oct 2026.
    ("non-compliant-then-express", DemandeIndemnitaireInput(SENT, RECEIVED, False, D(2026, 8, 1)),
     D(2026, 8, 5), D(2026, 5, 4), "rejet_explicite", D(2026, 8, 1), D(2026, 10, 2), "ouvert",
     {"indemnitaire_rejet_explicite"}),
    # PD §3 ex. 11 pattern: received 13 Apr -> implicit Sat 13 Jun -> Fri 14 Aug 2026; the
    # day-after reading (14 Jun -> Mon 17 Aug) is flagged, the earlier date kept [U].
    ("day-after-reading", DemandeIndemnitaireInput(D(2026, 4, 10), D(2026, 4, 13), True),
     D(2026, 6, 20), D(2026, 6, 13), "rejet_implicite", D(2026, 6, 13), D(2026, 8, 14), "ouvert",
     {"indemnitaire_rejet_implicite_lendemain"}),
    # L.114-3: receipt unknown -> the postmark (Mon 2 Mar) is used: implicit Sat 2 May ->
    # 2 Jul + 1 = Fri 3 Jul 2026.
    ("receipt-unknown", DemandeIndemnitaireInput(SENT, None, True), D(2026, 6, 1), D(2026, 5, 2),
     "rejet_implicite", D(2026, 5, 2), D(2026, 7, 3), "ouvert", {"indemnitaire_reception_inconnue"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inp", "today", "implicit", "evenement", "start", "last", "statut", "codes"),
    [case[1:] for case in CHAIN_CASES],
    ids=[case[0] for case in CHAIN_CASES],
)
def test_indemnity_chain(
    inp: DemandeIndemnitaireInput,
    today: date,
    implicit: date | None,
    evenement: str | None,
    start: date | None,
    last: date | None,
    statut: str,
    codes: set[str],
) -> None:
    chain = compute_indemnity_chain(inp, today)
    assert chain.rejet_implicite == implicit
    assert (chain.evenement, chain.point_de_depart) == (evenement, start)
    assert (chain.date_limite, chain.statut) == (last, statut)
    assert chain.jours_restants == (None if last is None else (last - today).days)
    assert codes <= {w.code for w in chain.avertissements}
    data = json.loads(json.dumps(chain.to_json()))
    assert data["delai_raisonnable"] is False  # never Czabaj (CE Vichy)


def test_chain_no_czabaj_sentence() -> None:
    chain = compute_indemnity_chain(DemandeIndemnitaireInput(SENT, RECEIVED, False), D(2027, 9, 1))
    assert chain.statut == "sans_delai"
    assert "ce-vichy-413097" in chain.fondements and "ce-czabaj" not in chain.fondements
    [text] = [w.texte for w in chain.avertissements if w.code == "indemnitaire_sans_delai"]
    assert text == (
        "Pas d'accusé de réception comportant les mentions requises (CRPA, art. R.112-5) : le"
        " délai de deux mois ne court pas contre le rejet implicite du 4 mai 2026 (CRPA, art."
        " L.112-6 ; CE, avis, 30 janv. 2019, n° 420797), et le délai raisonnable d'un an ne"
        " s'applique pas à une action indemnitaire (CE, 17 juin 2019, Centre hospitalier de"
        " Vichy, n° 413097). Seule la prescription quadriennale limite l'action."
    )


def test_chain_repeat_claim_warning() -> None:
    # CAA Paris 28 Mar 2025 n° 23PA04085 [S1]: warn before a repeat claim.
    inp = DemandeIndemnitaireInput(SENT, RECEIVED, True, rejet_anterieur=D(2025, 9, 1))
    chain = compute_indemnity_chain(inp, D(2026, 6, 1))
    warnings = {w.code: w for w in chain.avertissements}
    assert warnings["indemnitaire_confirmative"].confiance == "S1"
    assert "1er septembre 2025" in warnings["indemnitaire_confirmative"].texte
    assert "caa-paris-23pa04085" in chain.fondements
    plain = compute_indemnity_chain(DemandeIndemnitaireInput(SENT, RECEIVED, True), D(2026, 6, 1))
    assert "indemnitaire_confirmative" not in {w.code for w in plain.avertissements}


@pytest.mark.parametrize(
    ("type_autorite", "avocat", "code"),
    [
        # VD §2 "Who signs": R.431-3 5° — a département can be sued without a lawyer.
        ("conseil_departemental", False, "indemnitaire_avocat_collectivite"),
        # R.431-2: ARS and State (préfet) -> lawyer [C2 text].
        ("ars", True, "indemnitaire_avocat_obligatoire"),
        ("prefet_departement", True, "indemnitaire_avocat_obligatoire"),
        ("prefet_region", True, "indemnitaire_avocat_obligatoire"),
        (None, None, None),
    ],
)
def test_chain_lawyer_rule(
    type_autorite: str | None, avocat: bool | None, code: str | None
) -> None:
    inp = DemandeIndemnitaireInput(SENT, RECEIVED, True, type_autorite=type_autorite)
    chain = compute_indemnity_chain(inp, D(2026, 6, 1))
    assert chain.avocat_obligatoire is avocat
    lawyer_codes = {w.code for w in chain.avertissements if "avocat" in w.code}
    assert lawyer_codes == ({code} if code else set())


def test_chain_refuses_impossible_dates() -> None:
    with pytest.raises(DossierInvalidError) as excinfo:
        compute_indemnity_chain(
            DemandeIndemnitaireInput(SENT, D(2026, 3, 1), rejet_explicite=D(2026, 2, 1)),
            D(2026, 6, 1),
        )
    assert [p.chemin for p in excinfo.value.problemes] == ["reception", "rejet_explicite"]


@st.composite
def demandes(draw: st.DrawFn) -> tuple[DemandeIndemnitaireInput, date]:
    envoi = draw(st.dates(D(2024, 1, 1), D(2035, 12, 31)))
    reception = draw(st.none() | st.integers(0, 20).map(lambda n: envoi + timedelta(days=n)))
    rejet = draw(st.none() | st.integers(0, 400).map(lambda n: envoi + timedelta(days=n)))
    inp = DemandeIndemnitaireInput(
        envoi,
        reception,
        draw(st.none() | st.booleans()),
        rejet,
        draw(st.booleans()),
        type_autorite=draw(st.sampled_from([None, "ars", "conseil_departemental"])),
    )
    return inp, envoi + timedelta(days=draw(st.integers(0, 800)))


@given(demandes())
def test_chain_properties(case: tuple[DemandeIndemnitaireInput, date]) -> None:
    inp, today = case
    chain = compute_indemnity_chain(inp, today)
    # CE Vichy: never a one-year limit; a limit is a two-month délai franc on a working day.
    if chain.date_limite is not None:
        assert chain.date_limite.weekday() < 5
        start = (
            chain.rejet_implicite if chain.evenement != "rejet_explicite" else inp.rejet_explicite
        )
        if start is not None and chain.evenement is not None:
            assert add_months(start, 2) <= chain.date_limite <= add_months(start, 2) + timedelta(8)
    else:
        assert chain.statut in {"sans_delai", "en_attente"}
    # The implicit rejection is two months after the receipt retained (L.231-4, L.114-3).
    if chain.rejet_implicite is not None:
        assert chain.rejet_implicite == add_months(chain.reception_retenue, 2)
    # Without any decision yet, the requête is not admissible (R.421-1 al. 2).
    if inp.rejet_explicite is None and today < add_months(chain.reception_retenue, 2):
        assert chain.statut == "en_attente"
    json.dumps(chain.to_json())


# --- Lafon -----------------------------------------------------------------------------

LAFON_CASES = [
    # (exercise, express decision, final, risk, warning code, confidence)
    # VD §1.4 + §0.3: final express decision -> Lafon risk shown, never asserted away [U].
    (2024, D(2024, 3, 15), True, True, "lafon_risque", "U"),
    # VD §1.3 step 4: no express decision -> claim may remain open [U inference].
    (2024, None, False, False, "lafon_sans_decision", "U"),
    # Open express decision: contest it; no Lafon warning yet.
    (2026, D(2026, 3, 15), False, False, None, None),
]


@pytest.mark.parametrize(("annee", "decision", "final", "risk", "code", "confiance"), LAFON_CASES)
def test_lafon(
    annee: int,
    decision: date | None,
    final: bool,
    risk: bool,
    code: str | None,
    confiance: str | None,
) -> None:
    result = lafon_risk(annee, decision, final)
    assert result.risque is risk
    if code is None:
        assert result.avertissement is None
    else:
        assert result.avertissement is not None
        assert (result.avertissement.code, result.avertissement.confiance) == (code, confiance)
        assert "à vérifier" in result.avertissement.texte


def test_lafon_sentence() -> None:
    warning = lafon_risk(2024, D(2024, 3, 15), True).avertissement
    assert warning is not None
    assert warning.texte.startswith(
        "Exercice 2024 : la décision expresse du 15 mars 2024 est devenue définitive."
    )
    assert "(CE, Sect., 2 mai 1959, Lafon ; CE, 9 mars 2018, n° 405355)" in warning.texte


# --- routes that remain possible -------------------------------------------------------

TODAY = D(2026, 12, 1)
BP = "procedure_contradictoire"
CPOM = "cpom_eprd"

ROUTE_CASES = [
    # (id, facts, experts, expected route keys)
    # VD §1.3 step 2 + §5.1: open DG ARS decision -> gracieux, hiérarchique (ministers
    # [S1]), requête, médiation (L.213-6).
    ("ars-open", ExerciseFacts(2026, "ars", CPOM, D(2026, 10, 15)), False,
     ["recours_gracieux", "recours_hierarchique", "requete_tarif", "mediation"]),
    # §5.1: a PCD has no hierarchical superior [U]; current year under BP/CA -> DM (R.314-46).
    ("pcd-open-current", ExerciseFacts(2026, "conseil_departemental", BP, D(2026, 10, 15)), False,
     ["recours_gracieux", "requete_tarif", "mediation", "demande_dm"]),
    # §5.2 + §3: expert options only on request (déféré for a PCD, référé-suspension).
    ("pcd-open-experts", ExerciseFacts(2026, "conseil_departemental", BP, D(2026, 10, 15)), True,
     ["recours_gracieux", "demande_defere", "requete_tarif", "refere_suspension", "mediation",
      "demande_dm"]),
    # §1.3 step 3 (BP/CA, final decision): reprise du déficit + demande indemnitaire (Lafon).
    ("bp-final-2024", ExerciseFacts(2024, "conseil_departemental", BP, D(2024, 3, 15), True),
     False, ["reprise_deficit", "demande_indemnitaire"]),
    # §1.3 step 3 (CPOM/EPRD, final): no reprise du déficit; indemnity claim only.
    ("cpom-final-2024", ExerciseFacts(2024, "ars", CPOM, D(2024, 3, 15), True), False,
     ["demande_indemnitaire"]),
    # §1.3 step 4: no express decision on the Ségur cost -> demande indemnitaire.
    ("cpom-none-2025", ExerciseFacts(2025, "ars", CPOM, None), False, ["demande_indemnitaire"]),
    # §2 + §8: once a claim was sent, the requête indemnitaire follows.
    ("claimed", ExerciseFacts(2024, "ars", CPOM, None,
                              reclamations=(Reclamation(DI, D(2026, 3, 2), D(2026, 3, 4)),)),
     False, ["demande_indemnitaire", "requete_indemnitaire"]),
    # §7.1 + §3: notified but unpaid -> mise en demeure and référé-provision.
    ("unpaid", ExerciseFacts(2025, "ars", CPOM, D(2025, 6, 1), True, notifie_non_verse=True),
     False, ["demande_indemnitaire", "mise_en_demeure", "refere_provision"]),
    # §4: a general act refusing the funding -> REP; §5.3 open implicit rejection -> motifs.
    ("general-act-implicit", ExerciseFacts(2025, "conseil_departemental", BP, D(2025, 4, 1), True,
                                           acte_general=True, rejet_implicite_ouvert=True),
     False, ["mediation", "demande_motifs", "reprise_deficit", "demande_indemnitaire",
             "rep_acte_general"]),
    # §7.2: no tariff fixed at all -> demande de fixation.
    ("no-tariff", ExerciseFacts(2026, "prefet_region", BP, None, tarif_fixe=False), False,
     ["demande_indemnitaire", "demande_fixation", "demande_dm"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "experts", "expected"),
    [case[1:] for case in ROUTE_CASES],
    ids=[case[0] for case in ROUTE_CASES],
)
def test_possible_routes(facts: ExerciseFacts, experts: bool, expected: list[str]) -> None:
    result = possible_routes(facts, TODAY, experts=experts)
    assert [offer.cle for offer in result.voies] == expected
    json.dumps(result.to_json())


def test_routes_prescribed_exercise_offers_no_claim() -> None:
    # Art. 1: 2024 prescribed after 31 Dec 2028 -> no demande indemnitaire, the caveats of
    # art. 3 and 7 are in the prescription's warnings.
    result = possible_routes(ExerciseFacts(2024, "ars", CPOM, None), D(2029, 1, 2))
    assert [offer.cle for offer in result.voies] == []
    assert result.prescription.statut == "prescrit"
    assert "prescription_acquise" in {w.code for w in result.prescription.avertissements}


def test_routes_lafon_risk_attached_to_the_claim() -> None:
    result = possible_routes(ExerciseFacts(2024, "ars", CPOM, D(2024, 3, 15), True), TODAY)
    [claim] = [offer for offer in result.voies if offer.cle == "demande_indemnitaire"]
    assert result.lafon.risque is True
    assert claim.avertissements[0].code == "lafon_risque"
    assert claim.redige is True
    assert "loi-1968-art1" in claim.fondements


@pytest.mark.parametrize(
    ("type_autorite", "codes"),
    [
        # §5.1: DG ARS -> ministers [S1]; préfet -> minister [U] (warned, not decided).
        ("ars", ["hierarchique_ars"]),
        ("prefet_departement", ["hierarchique_destinataire_incertain"]),
        ("prefet_region", ["hierarchique_destinataire_incertain"]),
    ],
)
def test_routes_hierarchical_warnings(type_autorite: TypeAutorite, codes: list[str]) -> None:
    result = possible_routes(ExerciseFacts(2026, type_autorite, BP, D(2026, 10, 15)), TODAY)
    [offer] = [o for o in result.voies if o.cle == "recours_hierarchique"]
    assert [w.code for w in offer.avertissements] == codes


# --- dossier model ---------------------------------------------------------------------


def test_dossier_records_claims_and_unpaid_funding(dossier_data: dict[str, Any]) -> None:
    dossier_data["demandes_indemnitaires"] = [
        {
            "autorite": "cd-72",
            "exercices": ["2024"],
            "date_envoi": "2026-03-02",
            "date_reception": "2026-03-04",
            "accuse_reception_conforme": "non",
            "rejet_explicite": {
                "date_notification": "2026-04-15",
                "voies_et_delais_mentionnes": "oui",
            },
        }
    ]
    dossier_data["mises_en_demeure"] = [
        {"autorite": "cd-72", "payeur": "Paierie départementale de la Sarthe",
         "date_envoi": "2026-05-04"}
    ]  # fmt: skip
    dossier_data["financements_notifies"] = [
        {
            "autorite": "cd-72",
            "etablissement": "720000011",
            "exercice": "2025",
            "date_notification": "2025-07-01",
            "montant_notifie": "12 000,00",
            "versements": [{"date": "2025-08-20", "montant": "4000"}],
        }
    ]
    dossier = validate_dossier(dossier_data, "test")
    [demande] = dossier.demandes_indemnitaires
    assert demande.accuse_reception_conforme is False
    assert demande.rejet_explicite is not None
    assert demande.rejet_explicite.voies_et_delais_mentionnes is True
    [funding] = dossier.financements_notifies
    assert (funding.montant_verse, funding.reste_du) == (Decimal(4000), Decimal(8000))
    assert dossier.mises_en_demeure[0].date_reception is None


def test_dossier_new_fields_default_to_empty(dossier_data: dict[str, Any]) -> None:
    dossier = validate_dossier(dossier_data, "test")
    assert (dossier.demandes_indemnitaires, dossier.mises_en_demeure) == ([], [])
    assert dossier.financements_notifies == []


def test_dossier_claim_errors_name_the_field(dossier_data: dict[str, Any]) -> None:
    dossier_data["demandes_indemnitaires"] = [
        {"autorite": "ars-72", "date_envoi": "2026-03-02", "date_reception": "2026-03-01"}
    ]
    dossier_data["financements_notifies"] = [
        {"autorite": "cd-72", "etablissement": "720000029", "exercice": "2025",
         "date_notification": "2025-07-01", "montant_notifie": "-5"}
    ]  # fmt: skip
    with pytest.raises(DossierInvalidError) as excinfo:
        validate_dossier(dossier_data, "test")
    text = str(excinfo.value)
    assert "demandes_indemnitaires[0]" in text and "antérieure à la date d'envoi" in text
    assert "financements_notifies[0].montant_notifie" in text


def test_dossier_claim_links_are_checked(dossier_data: dict[str, Any]) -> None:
    dossier_data["demandes_indemnitaires"] = [{"autorite": "ars-72", "date_envoi": "2026-03-02"}]
    dossier_data["financements_notifies"] = [
        {"autorite": "cd-72", "etablissement": "720000029", "exercice": "2025",
         "date_notification": "2025-07-01", "montant_notifie": "5"}
    ]  # fmt: skip
    with pytest.raises(DossierInvalidError) as excinfo:
        validate_dossier(dossier_data, "test")
    text = str(excinfo.value)
    assert "demandes_indemnitaires[0].autorite : autorité inconnue « ars-72 »" in text
    assert "financements_notifies[0].etablissement : FINESS inconnu 720000029" in text


# --- recours delais (CLI): exact output and exit codes ---------------------------------


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), prog_name="recours")


DEMANDE = ["delais", "--demande-indemnitaire", "2026-03-02", "--reception-demande", "2026-03-04"]


def test_cli_indemnity_chain_without_compliant_ar(runner: CliRunner) -> None:
    # CE avis 420797 + CE Vichy 413097: no compliant AR -> no delay; département defendant
    # -> no lawyer (R.431-3 5°).
    result = run(runner, *DEMANDE, "--ar-conforme", "non",
                 "--type-autorite", "conseil_departemental", "--aujourdhui", "2026-06-01")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Date de référence : lundi 1er juin 2026\n"
        "\n"
        "Demande indemnitaire préalable\n"
        "  envoyée le lundi 2 mars 2026, reçue le mercredi 4 mars 2026\n"
        "  rejet implicite : lundi 4 mai 2026\n"
        "Requête indemnitaire (tribunal administratif)\n"
        "  état : pas de date limite calculée (voir les avertissements)\n"
        "  avocat : non obligatoire\n"
        "  fondements : CJA, art. R.421-1, al. 2 ; CRPA, art. L.231-4, 3° ; CRPA, art. L.114-3 ;"
        " CJA, art. R.421-2 ; CRPA, art. R.112-5 ; CRPA, art. L.112-6 ; CE, avis, 30 janv. 2019,"
        " n° 420797 ; CE, 17 juin 2019, Centre hospitalier de Vichy, n° 413097 ; CJA, art."
        " R.431-3\n"
        "\n"
        "Avertissements (demande indemnitaire, prescription) :\n"
        "  - Pas d'accusé de réception comportant les mentions requises (CRPA, art. R.112-5) : le"
        " délai de deux mois ne court pas contre le rejet implicite du 4 mai 2026 (CRPA, art."
        " L.112-6 ; CE, avis, 30 janv. 2019, n° 420797), et le délai raisonnable d'un an ne"
        " s'applique pas à une action indemnitaire (CE, 17 juin 2019, Centre hospitalier de"
        " Vichy, n° 413097). Seule la prescription quadriennale limite l'action.\n"
        "  - Le défendeur est un département, collectivité territoriale : la requête"
        " indemnitaire peut être présentée sans avocat (CJA, art. R.431-3), signée par le"
        " représentant légal de l'association (CJA, art. R.431-4).\n"
    )


def test_cli_indemnity_chain_and_prescription_text(runner: CliRunner) -> None:
    # §2 worked example: 2024 cost, claim received 4 Mar 2026 -> 31 Dec 2030; compliant AR:
    # implicit rejection Mon 4 May 2026 -> Mon 6 Jul 2026 (R.421-2, CE avis 420797).
    result = run(runner, *DEMANDE, "--ar-conforme", "oui", "--exercice", "2024",
                 "--aujourdhui", "2026-06-01")  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  date limite d'enregistrement au greffe : lundi 6 juillet 2026" in lines
    assert "  état : ouvert, 35 jour(s) restant(s)" in lines
    assert "Prescription quadriennale (par exercice)" in lines
    # 1 Jun 2026 -> 31 Dec 2030: 213 + 365 * 3 + 366 (2028) = 1674 days.
    assert (
        "  2024 : du 1er janvier 2027 au mardi 31 décembre 2030 — ouvert, 1674 jour(s) restant(s)"
        in lines
    )
    assert not any(line.startswith("  avocat") for line in lines)  # authority type unknown


def test_cli_prescription_json(runner: CliRunner) -> None:
    result = run(runner, "delais", "--exercice", "2024", "--exercice", "2025",
                 "--mise-en-demeure", "2025-06-04", "--aujourdhui", "2026-12-01", "--json")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert set(data) == {
        "aujourdhui", "demande_indemnitaire", "prescription", "avertissements_indemnitaires",
    }  # fmt: skip
    assert data["demande_indemnitaire"] is None
    by_year = {p["exercice"]: p for p in data["prescription"]}
    # Art. 2: the mise en demeure received in 2025 -> new period 2026-2029 for 2024; for
    # 2025 (period 2026-2029 already) nothing changes.
    assert (by_year[2024]["debut"], by_year[2024]["date_limite"]) == ("2026-01-01", "2029-12-31")
    assert (by_year[2025]["debut"], by_year[2025]["date_limite"]) == ("2026-01-01", "2029-12-31")
    assert by_year[2024]["interruptions"] == [
        {"nature": "mise_en_demeure", "date_envoi": None, "date_reception": "2025-06-04"}
    ]
    assert by_year[2024]["statut"] == "ouvert"
    assert by_year[2024]["fondements_cles"] == ["loi-1968-art1", "loi-1968-art2"]


def test_cli_json_keeps_the_existing_keys(runner: CliRunner) -> None:
    # §3 ex. 11 (procedure-et-delais.md) plus a claim: the decision's keys are unchanged.
    base = ["delais", "--notification", "2026-03-15", "--envoi-gracieux", "2026-04-10",
            "--reception-gracieux", "2026-04-13", "--aujourdhui", "2026-04-20", "--json"]  # fmt: skip
    plain = json.loads(run(runner, *base).stdout)
    both = json.loads(run(runner, *base, "--demande-indemnitaire", "2026-03-02").stdout)
    assert {k: v for k, v in both.items() if k in plain} == plain
    assert set(both) - set(plain) == {
        "demande_indemnitaire", "prescription", "avertissements_indemnitaires",
    }  # fmt: skip
    assert plain["recours_hierarchique"] is None
    assert both["demande_indemnitaire"]["statut"] == "en_attente"
    assert both["demande_indemnitaire"]["rejet_implicite"] == "2026-05-02"  # receipt unknown


def test_cli_hierarchique_prefet(runner: CliRunner) -> None:
    # voies-de-droit §5.1 [U]: préfet -> minister uncertain: earlier date kept (14 Aug).
    result = run(runner, "delais", "--notification", "2026-03-15", "--envoi-gracieux",
                 "2026-04-10", "--reception-gracieux", "2026-04-13", "--envoi-hierarchique",
                 "2026-04-20", "--reception-hierarchique", "2026-04-22", "--type-autorite",
                 "prefet_region", "--aujourdhui", "2026-07-01")  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (
        "  envoyé le lundi 20 avril 2026 : non retenu dans le calcul (destinataire incertain)"
        in lines
    )
    assert "  date limite d'enregistrement au greffe : vendredi 14 août 2026" in lines
    assert any("le dernier jour serait le 24 août 2026" in line for line in lines)


def test_cli_hierarchique_ars_text(runner: CliRunner) -> None:
    # CRPA L.411-2 al. 2: the later (hiérarchique) rejection starts the delay -> 24 Aug.
    result = run(runner, "delais", "--notification", "2026-03-15", "--envoi-gracieux",
                 "2026-04-10", "--reception-gracieux", "2026-04-13", "--envoi-hierarchique",
                 "2026-04-20", "--reception-hierarchique", "2026-04-22", "--type-autorite", "ars",
                 "--aujourdhui", "2026-07-01")  # fmt: skip
    lines = result.stdout.splitlines()
    assert "  point de départ : rejet implicite du recours hiérarchique du 22 juin 2026" in lines
    assert "  date limite d'enregistrement au greffe : lundi 24 août 2026" in lines
    assert not any("14 août 2026" in line for line in lines)  # the gracieux's stale date


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Option manquante '--notification'."),
        (["--reception-demande", "2026-03-04"],
         "--reception-demande, --ar-conforme, --rejet-demande et --rejet-anterieur supposent"
         " --demande-indemnitaire"),
        (["--demande-indemnitaire", "2026-03-02", "--rejet-demande", "2026-03-01"],
         "--rejet-demande : date antérieure à l'envoi de la demande"),
        (["--exercice", "24"], "--exercice : année invalide « 24 », format attendu AAAA"),
        (["--mise-en-demeure", "2026-01-05", "--demande-indemnitaire", "2026-03-02"],
         "--mise-en-demeure suppose --exercice (elle interrompt la prescription)"),
        (["--exercice", "2024", "--ics", "x.ics"], "--ics suppose --notification"),
        (["--exercice", "2024", "--envoi-gracieux", "2026-04-10"],
         "--envoi-gracieux suppose --notification"),
        (["--demande-indemnitaire", "2026-02-30"],
         "--demande-indemnitaire : date invalide « 2026-02-30 » : format attendu JJ/MM/AAAA ou AAAA-MM-JJ"),
        (["--notification", "2026-03-15", "--reception-hierarchique", "2026-04-22"],
         "--reception-hierarchique et --rejet-hierarchique supposent --envoi-hierarchique"),
        (["--notification", "2026-03-15", "--envoi-hierarchique", "2026-03-01"],
         "--envoi-hierarchique : date antérieure à la notification"),
    ],
)  # fmt: skip
def test_cli_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, "delais", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Erreur : {message}\n"


def test_cli_referentiel_shows_routes_with_their_marks(runner: CliRunner) -> None:
    result = run(runner, "referentiel")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "RECOURS HIÉRARCHIQUE" in lines and "VOIES DE DROIT" in lines
    # VD §5.1: PCD -> no superior [U]; DG ARS -> ministers [S1].
    assert (
        "  Conseil départemental : aucun supérieur hiérarchique [À VÉRIFIER — incertain, à"
        " vérifier]" in lines
    )
    assert (
        "  Agence régionale de santé : les ministres de tutelle de l'agence régionale de santé"
        " [S1 : une seule source]" in lines
    )
    for voie in load_referentiel().voies.values():
        [shown] = [x for x in lines if x.startswith(f"  {voie.libelle} (")]
        assert ("À VÉRIFIER" in shown) is (voie.confiance == "U"), shown
        assert ("non rédigé" in shown) is (not voie.redige), shown


# --- from a dossier --------------------------------------------------------------------


def test_dossier_reclamations_and_repeat_claim(dossier_data: dict[str, Any]) -> None:
    dossier_data["decisions"][0]["recours_gracieux"] = {
        "date_envoi": "2026-04-10", "date_reception": "2026-04-13",
    }  # fmt: skip
    dossier_data["demandes_indemnitaires"] = [
        # Received 4 Mar 2025, no answer: implicit rejection 4 May 2025 (L.231-4 3°).
        {"autorite": "cd-72", "exercices": ["2024"], "date_envoi": "2025-03-02",
         "date_reception": "2025-03-04"},
        {"autorite": "cd-72", "exercices": ["2024", "2025"], "date_envoi": "2026-03-02",
         "date_reception": "2026-03-04", "accuse_reception_conforme": "oui"},
    ]  # fmt: skip
    dossier_data["mises_en_demeure"] = [
        {"autorite": "cd-72", "payeur": "Paierie départementale", "date_envoi": "2026-05-04"}
    ]
    dossier = validate_dossier(dossier_data, "test")
    claims = dossier_reclamations(dossier, "cd-72")
    assert [(c.nature, c.envoi, c.exercices) for c in claims] == [
        (DI, D(2025, 3, 2), frozenset({2024})),
        (DI, D(2026, 3, 2), frozenset({2024, 2025})),
        (MED, D(2026, 5, 4), frozenset()),
        # The recours gracieux claims the exercise its decision fixes (one decision, one
        # exercise), not every exercise.
        (RG, D(2026, 4, 10), frozenset({2024})),
    ]
    assert dossier_reclamations(dossier, "ars-72") == ()
    # The second claim repeats the first one, rejected implicitly on 4 May 2025
    # (CAA Paris 23PA04085 [S1]).
    second = demande_input(dossier, 1)
    assert second.rejet_anterieur == D(2025, 5, 4)
    assert (second.type_autorite, second.departement) == ("conseil_departemental", "72")
    assert second.accuse_reception_conforme is True
    assert demande_input(dossier, 0).rejet_anterieur is None
    # Loi 68-1250 art. 2: 2024 -> the 2026 claims restart the period: 31 Dec 2030.
    result = compute_prescription(2024, claims, D(2026, 12, 1))
    assert result.date_limite == D(2030, 12, 31)


def test_notified_unpaid(dossier_data: dict[str, Any]) -> None:
    dossier_data["financements_notifies"] = [
        {"autorite": "cd-72", "exercice": "2025", "date_notification": "2025-07-01",
         "montant_notifie": "1000", "versements": [{"date": "2025-08-20", "montant": "1000"}]},
        {"autorite": "cd-72", "exercice": "2026", "date_notification": "2026-07-01",
         "montant_notifie": "1000", "versements": [{"date": "2026-08-20", "montant": "400"}]},
    ]  # fmt: skip
    dossier = validate_dossier(dossier_data, "test")
    assert notified_unpaid(dossier, "cd-72", 2025) is False  # fully paid
    assert notified_unpaid(dossier, "cd-72", 2026) is True
    assert notified_unpaid(dossier, "cd-72", 2024) is False


def test_prescription_future_claim_not_counted_and_late_sentence() -> None:
    # Art. 2: a claim not yet made interrupts nothing (planned for 2027, today 2026).
    planned = compute_prescription(2024, [Reclamation(DI, D(2027, 2, 1))], D(2026, 12, 1))
    assert (planned.date_limite, planned.interruptions) == (D(2028, 12, 31), ())
    late = compute_prescription(
        2024, [Reclamation(DI, D(2028, 12, 29), D(2029, 1, 3))], D(2029, 2, 1)
    )
    assert (
        "Exercice 2024 : la réclamation reçue le 3 janvier 2029 (la demande indemnitaire"
        " préalable) est parvenue après le dernier jour de la prescription (31 décembre 2028) :"
        " elle ne l'interrompt pas (loi n° 68-1250 du 31 déc. 1968, art. 2)."
        in [w.texte for w in late.avertissements]
    )
    two_years = compute_prescription(
        2024, [Reclamation(MED, D(2026, 12, 30), D(2027, 1, 4))], D(2027, 2, 1)
    )
    [text] = [
        w.texte for w in two_years.avertissements if w.code == "prescription_date_interruption"
    ]
    assert text.startswith(
        "La mise en demeure : envoi : 30 décembre 2026 ; réception : 4 janvier 2027."
    )
