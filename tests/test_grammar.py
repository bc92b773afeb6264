"""French grammar of names: contraction and elision, one row per rule of autorites.md
§ "French grammar of the names" (shared/domaine), plus every row of autorites.csv."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recours.authoring.variables import FILTERS
from recours.documents.sandbox import GRAMMAR_FILTERS, make_env
from recours.formatting import a, avec_article, de
from recours.law.referentiel import AutoriteLocale, load_referentiel


@pytest.mark.parametrize(
    ("nom", "article", "forme_de", "forme_a"),
    [
        # de + le = du, à + le = au (autorites.md, French grammar, 1st rule)
        ("le département", "", "du département", "au département"),
        ("Rhône", "le", "du Rhône", "au Rhône"),
        ("Val-d'Oise", "le", "du Val-d'Oise", "au Val-d'Oise"),
        ("Le Mans", "", "du Mans", "au Mans"),
        ("le département du Rhône", "", "du département du Rhône", "au département du Rhône"),
        # de + les = des, à + les = aux (1st rule)
        ("Landes", "les", "des Landes", "aux Landes"),
        ("Hauts-de-Seine", "les", "des Hauts-de-Seine", "aux Hauts-de-Seine"),
        ("Les Sables-d'Olonne", "", "des Sables-d'Olonne", "aux Sables-d'Olonne"),
        # de la / à la do not contract (1st rule)
        ("Gironde", "la", "de la Gironde", "à la Gironde"),
        ("la Métropole de Lyon", "", "de la Métropole de Lyon", "à la Métropole de Lyon"),
        # de l' before a vowel or a mute h (1st rule)
        ("Ain", "le", "de l'Ain", "à l'Ain"),
        ("Hérault", "le", "de l'Hérault", "à l'Hérault"),
        ("l'État", "", "de l'État", "à l'État"),
        # aspirated h: no elision (2nd rule)
        ("Haut-Rhin", "le", "du Haut-Rhin", "au Haut-Rhin"),
        ("Haute-Garonne", "la", "de la Haute-Garonne", "à la Haute-Garonne"),
        ("Hautes-Alpes", "les", "des Hautes-Alpes", "aux Hautes-Alpes"),
        # names without an article, TNCC 0 "de" and 1 "d'" (3rd rule)
        ("Paris", "", "de Paris", "à Paris"),
        ("Mayotte", "", "de Mayotte", "à Mayotte"),
        ("Maine-et-Loire", "", "de Maine-et-Loire", "à Maine-et-Loire"),
        ("Meurthe-et-Moselle", "", "de Meurthe-et-Moselle", "à Meurthe-et-Moselle"),
        ("Saône-et-Loire", "", "de Saône-et-Loire", "à Saône-et-Loire"),
        ("Seine-et-Marne", "", "de Seine-et-Marne", "à Seine-et-Marne"),
        ("Eure-et-Loir", "", "d'Eure-et-Loir", "à Eure-et-Loir"),
        ("Ille-et-Vilaine", "", "d'Ille-et-Vilaine", "à Ille-et-Vilaine"),
        ("Indre-et-Loire", "", "d'Indre-et-Loire", "à Indre-et-Loire"),
        # "La Réunion" keeps its capitalised article (3rd rule); so does La Rochelle
        ("La Réunion", "", "de La Réunion", "à La Réunion"),
        ("La Rochelle", "", "de La Rochelle", "à La Rochelle"),
        # Vaucluse: the collectivity's form, without article (4th rule)
        ("Vaucluse", "", "de Vaucluse", "à Vaucluse"),
        # bodies (5th rule)
        ("la Ville de Paris", "", "de la Ville de Paris", "à la Ville de Paris"),
        (
            "la Collectivité européenne d'Alsace",
            "",
            "de la Collectivité européenne d'Alsace",
            "à la Collectivité européenne d'Alsace",
        ),
        (
            "la Collectivité de Corse",
            "",
            "de la Collectivité de Corse",
            "à la Collectivité de Corse",
        ),
        (
            "le Département-Région de Mayotte",
            "",
            "du Département-Région de Mayotte",
            "au Département-Région de Mayotte",
        ),
        # no article inside Martinique / Guyane names (5th rule)
        (
            "la collectivité territoriale de Martinique",
            "",
            "de la collectivité territoriale de Martinique",
            "à la collectivité territoriale de Martinique",
        ),
    ],
)
def test_de_et_a(nom: str, article: str, forme_de: str, forme_a: str) -> None:
    assert de(nom, article) == forme_de
    assert a(nom, article) == forme_a


@pytest.mark.parametrize(
    ("nom", "article", "forme"),
    [
        ("Ain", "le", "l'Ain"),  # elision before a vowel
        ("Haut-Rhin", "le", "le Haut-Rhin"),  # aspirated h
        ("Haute-Garonne", "la", "la Haute-Garonne"),
        ("Hérault", "le", "l'Hérault"),  # mute h
        ("Paris", "", "Paris"),
        ("Le Mans", "", "Le Mans"),  # the article belongs to the name
    ],
)
def test_avec_article(nom: str, article: str, forme: str) -> None:
    assert avec_article(nom, article) == forme


def test_names_that_only_look_like_articles() -> None:
    # "Lens", "Laval", "Lesneven" begin with l/la/les but carry no article.
    assert de("Lens") == "de Lens"
    assert a("Laval") == "à Laval"
    assert de("Lesneven") == "de Lesneven"
    assert de("") == ""


ROWS = list(load_referentiel().annuaire.values())
HORS_CHAMP = set(load_referentiel().annuaire_autorites.hors_champ.codes)


@pytest.mark.parametrize("row", [r for r in ROWS if r.code not in HORS_CHAMP], ids=lambda r: r.code)
def test_every_annuaire_row(row: AutoriteLocale) -> None:
    # Source: autorites.csv, columns article_defendeur and titre_chef (autorites.md §Reading).
    nom = row.article_defendeur
    article = nom.split(" ")[0]
    rest = nom.partition(" ")[2]
    expected_de = {"le": f"du {rest}", "la": f"de la {rest}"}[article]
    expected_a = {"le": f"au {rest}", "la": f"à la {rest}"}[article]
    assert de(nom) == expected_de
    assert a(nom) == expected_a
    masculin, feminin, complement = row.titres or ("", "", "")
    assert masculin.startswith("le ") and feminin.startswith("la ")
    assert de(f"{masculin} {complement}") == f"du {masculin[3:]} {complement}"
    assert a(f"{feminin} {complement}") == f"à {feminin} {complement}"
    for text in (de(nom), a(nom), row.titre("Madame"), row.titre("Monsieur")):
        assert not re.search(r"\b(de|à) (le|les)\b", text), text
    # The département name, in the "de" form the table writes after "conseil départemental".
    if complement.startswith("du conseil départemental "):
        written = complement.removeprefix("du conseil départemental ")
        name = row.departement
        assert written.endswith(name)
        article_written = written[: -len(name)].strip()
        article_given = {"du": "le", "des": "les", "de la": "la", "de l'": "le"}.get(
            article_written, ""
        )
        assert de(name, article_given) == written


def test_filters_registered_and_documented() -> None:
    env = make_env()
    template = env.from_string("Fait {{ lieu|a }} ; à la charge {{ defendeur|de }}")
    assert (
        template.render(lieu="Le Mans", defendeur="le département de la Sarthe")
        == "Fait au Mans ; à la charge du département de la Sarthe"
    )
    assert env.from_string("{{ 'Haut-Rhin'|de('le') }}").render() == "du Haut-Rhin"
    assert {name for name, _effect, _examples in FILTERS} == set(GRAMMAR_FILTERS)


NAME_START = "BCDFGJKLMNPQRSTVWXZ"  # consonants other than h: no elision, no article


@given(
    first=st.sampled_from(NAME_START),
    rest=st.text(alphabet="abcdeéèfghilmnorstuy-' ", min_size=1, max_size=20),
)
def test_names_without_article_only_take_de_and_a(first: str, rest: str) -> None:
    name = (first + rest).strip()
    if re.match(r"(?i)^(les|le|la)\s|^l['’]", name):
        return  # an article after all: covered by the table above
    assert de(name) == f"de {name}"
    assert a(name) == f"à {name}"


@given(
    article=st.sampled_from(["le", "la", "les", "Le", "Les", "La"]),
    rest=st.text(alphabet="abcdeéfghimnorstu-", min_size=1, max_size=15).map(str.capitalize),
)
def test_never_de_le_nor_a_les(article: str, rest: str) -> None:
    name = f"{article} {rest}"
    for text in (de(name), a(name)):
        assert not re.search(r"^(de|à) (le|les|Le|Les) ", text), text
