"""`recours modeles verifier` / `exporter` and the `--modeles` fallback.

Broken HTML templates live in tests/data/modeles_casses/ (one per kind of error); broken
Word templates are built here with python-docx, since .docx files are binary. Each case
states the exact message a lawyer will read.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from recours.authoring.check import (
    AVERTISSEMENT,
    ERREUR,
    check_templates,
    french_syntax_error,
    report_text,
)
from recours.authoring.export import export_templates
from recours.cli.main import main

CASSES = Path(__file__).resolve().parent / "data" / "modeles_casses"
ROOT = Path(__file__).resolve().parents[1]


def build_docx(path: Path, *blocks: Any, footer: str | None = None) -> Path:
    """A Word template. A str is a paragraph; a tuple is a paragraph of runs, where a run
    ("b", text) is bold and ("ins", text) is a tracked insertion; a list of lists is a
    table (rows of cell texts)."""
    doc = Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
        elif isinstance(block, tuple):
            para = doc.add_paragraph()
            for run in block:
                style, text = run if isinstance(run, tuple) else ("", run)
                r = para.add_run(text)
                r.bold = style == "b"
                if style == "ins":
                    ins = OxmlElement("w:ins")
                    ins.set(qn("w:id"), "1")
                    ins.set(qn("w:author"), "Cabinet")
                    r._r.addprevious(ins)
                    ins.append(r._r)
        else:
            table = doc.add_table(rows=0, cols=len(block[0]))
            for values in block:
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.paragraphs[0].add_run(value)
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].add_run(footer)
    doc.save(str(path))
    return path


def problems(folder: Path, render: bool = False) -> list[tuple[str, str, str]]:
    rapport = check_templates(folder, render=render, pdf=False)
    return [(p.gravite, p.lieu, p.message) for p in rapport.problemes]


# ----------------------------------------------------------------------------- HTML

HTML_CASES = {
    "syntaxe_bloc_non_ferme.html": [
        ("ligne 1", "erreur de syntaxe : bloc « if » jamais fermé : il manque {% endif %}")
    ],
    "syntaxe_accolade.html": [("ligne 1", "erreur de syntaxe : « } » inattendu")],
    "guillemets_typographiques.html": [
        (
            "ligne 2",
            "guillemets typographiques dans la balise « {% if decision.conclusions == "
            "“reformation” %} » : tapez des guillemets droits \" ou ' (désactivez la "
            "correction automatique des guillemets de Word)",
        )
    ],
    "chemin_mal_orthographie.html": [
        (
            "ligne 1",
            "variable inconnue « organisme.raison_social » ; vouliez-vous dire "
            "« organisme.raison_sociale » ?",
        )
    ],
    "variable_inconnue.html": [
        ("ligne 1", "variable inconnue « organsime » ; vouliez-vous dire « organisme » ?")
    ],
    "variable_de_boucle.html": [
        (
            "ligne 1",
            "variable inconnue « l.duu » (montants.lignes[].duu) ; vouliez-vous dire « l.du » ?",
        )
    ],
    "attribut_de_boucle.html": [
        ("ligne 1", "attribut de boucle inconnu « loop.indx » ; vouliez-vous dire « loop.index » ?")
    ],
    "liste_sans_boucle.html": [
        (
            "ligne 1",
            "« montants.lignes » est une liste : parcourez-la avec {% for x in … %} avant "
            "d'utiliser « .du »",
        )
    ],
    "variable_autre_document.html": [
        (
            "ligne 1",
            "variable « tribunal » absente du contexte du recours gracieux (elle n'existe que "
            "pour : requête et requête indemnitaire)",
        )
    ],
    "filtre_inconnu.html": [("ligne 1", "filtre inconnu « majuscules »")],
    "balise_p_en_html.html": [
        (
            "ligne 1",
            "« {%p if avocat.present %} » : les balises {%p, {%tr, {%tc et {%r sont réservées "
            "aux modèles Word ; en HTML, écrivez {% … %}",
        ),
        (
            "ligne 1",
            "« {%p endif %} » : les balises {%p, {%tr, {%tc et {%r sont réservées aux modèles "
            "Word ; en HTML, écrivez {% … %}",
        ),
    ],
    "ressource_externe.html": [
        (
            "ligne 1",
            "ressource hors du dossier des modèles « file:///etc/passwd » : seuls les fichiers "
            "du dossier des modèles sont chargés (ni réseau, ni autre fichier)",
        ),
        (
            "ligne 2",
            "ressource hors du dossier des modèles « http://example.com/x.css » : seuls les "
            "fichiers du dossier des modèles sont chargés (ni réseau, ni autre fichier)",
        ),
    ],
    "evasion_bac_a_sable.html": [
        (
            "ligne 1",
            "accès interdit à l'attribut interne « __init__ » : les modèles n'ont accès ni aux "
            "objets Python, ni aux fichiers, ni au réseau",
        )
    ],
}


def test_every_broken_html_template_has_a_case() -> None:
    assert sorted(p.name for p in CASSES.glob("*.html")) == sorted(
        [*HTML_CASES, "erreur_de_rendu.html"]
    )


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_broken_html_template(tmp_path: Path, name: str) -> None:
    shutil.copyfile(CASSES / name, tmp_path / "recours_gracieux.html")
    expected = [(ERREUR, lieu, message) for lieu, message in HTML_CASES[name]]
    assert problems(tmp_path) == expected


def test_html_rendering_error_reported_once_with_line(tmp_path: Path) -> None:
    shutil.copyfile(CASSES / "erreur_de_rendu.html", tmp_path / "recours_gracieux.html")
    rapport = check_templates(tmp_path, pdf=False)
    assert [(p.lieu, p.message, p.extrait) for p in rapport.problemes] == [
        (
            "ligne 1",
            "rendu impossible avec le dossier d'exemple « annees-definitives-indemnitaire » "
            "(recours gracieux — Département du Doubs) : division par zéro",
            "<p>{{ 1 // 0 }}</p>",
        )
    ]


# ----------------------------------------------------------------------------- Word

P_IF = "{%p if avocat.present %}"
DOCX_CASES: dict[str, tuple[list[Any], list[tuple[str, str, str]]]] = {
    "deux_p_dans_un_paragraphe": (
        ["{%p if avocat.present %}{%p endif %}"],
        [
            (
                ERREUR,
                "paragraphe 1",
                "2 balises {%p, {%tr ou {%tc dans le même paragraphe : une seule par "
                "paragraphe, seule sur sa ligne",
            )
        ],
    ),
    "p_avec_du_texte": (
        [f"Avocat : {P_IF}", "{{ avocat.nom }}", "{%p endif %}"],
        [
            (
                ERREUR,
                "paragraphe 1",
                "le paragraphe de la balise « {%p if avocat.present %} » contient aussi "
                "« Avocat : » : la génération supprime tout le paragraphe, mettez la balise seule "
                "dans son paragraphe",
            )
        ],
    ),
    "p_seul_dans_une_cellule": (
        [[[P_IF, "x"], ["{%p endif %}", ""]]],
        [
            (
                ERREUR,
                f"paragraphe {n} (tableau 1, ligne {row}, cellule 1)",
                f"balise « {tag} » seule dans une cellule de tableau : la cellule serait vide "
                "et le fichier Word invalide ; utilisez {%tr (ligne entière) ou {%tc (cellule)",
            )
            for n, row, tag in ((1, 1, P_IF), (3, 2, "{%p endif %}"))
        ],
    ),
    "tr_hors_tableau": (
        ["{%tr for l in montants.lignes %}", "{{ l.du }}", "{%tr endfor %}"],
        [
            (
                ERREUR,
                f"paragraphe {n}",
                f"balise « {tag} » hors d'un tableau : {{%tr s'écrit dans une ligne de tableau "
                "(utilisez {%p dans le texte)",
            )
            for n, tag in ((1, "{%tr for l in montants.lignes %}"), (3, "{%tr endfor %}"))
        ],
    ),
    "tr_avec_texte_dans_la_ligne": (
        [
            [
                ["{%tr for l in montants.lignes %}", "Total"],
                ["{{ l.du }}", "{{ l.recu }}"],
                ["{%tr endfor %}", ""],
            ]
        ],
        [
            (
                ERREUR,
                "paragraphe 2 (tableau 1, ligne 1, cellule 2)",
                "la ligne de tableau de la balise « {%tr for l in montants.lignes %} » contient "
                "aussi « Total » : la génération supprime toute la ligne, laissez ses autres cellules "
                "vides",
            )
        ],
    ),
    "espace_entre_accolade_et_tr": (
        [[["{% tr for l in montants.lignes %}"], ["{{ l.du }}"], ["{%tr endfor %}"]]],
        [
            (
                ERREUR,
                "paragraphe 1 (tableau 1, ligne 1, cellule 1)",
                "« {% tr for l in montants.lignes %} » : pas d'espace entre « {% » et « tr » "
                "(écrivez {%tr for …)",
            )
        ],
    ),
    "balise_sur_deux_segments": (
        [("Organisme : ", "{{ organisme.", ("b", "raison_sociale }}"))],
        [
            (
                AVERTISSEMENT,
                "paragraphe 1",
                "balise « {{ organisme.raison_sociale }} » répartie sur 2 segments de mise en "
                "forme Word : la génération la reconstitue, mais retapez-la d'un seul tenant pour garder "
                "une seule mise en forme",
            )
        ],
    ),
    "balise_coupee_par_une_revision": (
        [("Organisme : {{ organisme.", ("ins", "raison_sociale }}"))],
        [
            (
                ERREUR,
                "paragraphe 1",
                "balise « {{ organisme.raison_sociale }} » coupée par Word (révision suivie, "
                "lien ou champ) : effacez-la et retapez-la d'un seul tenant",
            )
        ],
    ),
    "guillemets_francais": (
        ["{%p if decision.conclusions == « reformation » %}", "réformation", "{%p endif %}"],
        [
            (
                ERREUR,
                "paragraphe 1",
                "guillemets typographiques dans la balise « {%p if decision.conclusions == "
                "« reformation » %} » : tapez des guillemets droits \" ou ' (désactivez la "
                "correction automatique des guillemets de Word)",
            )
        ],
    ),
    "balise_non_fermee": (
        ["Texte", "{{ organisme.raison_sociale", "}}"],
        [
            (
                ERREUR,
                "paragraphe 2",
                "balise « {{ » ouverte sans « }} » dans le même paragraphe",
            ),
            (ERREUR, "paragraphe 3", "« }} » sans « {{ » correspondant dans le même paragraphe"),
        ],
    ),
    "syntaxe": (
        ["A", P_IF, "B", "{%p endfi %}", "C"],
        [
            (
                ERREUR,
                "paragraphe 4",
                "erreur de syntaxe : balise inconnue « endfi » (le bloc « if » attend « elif » "
                "ou « else » ou « endif »)",
            )
        ],
    ),
    "chemin_mal_orthographie": (
        ["A", "B {{ organisme.siege.comune }}"],
        [
            (
                ERREUR,
                "paragraphe 2",
                "variable inconnue « organisme.siege.comune » ; vouliez-vous dire "
                "« organisme.siege.commune » ?",
            )
        ],
    ),
    "filtre_inconnu": (
        ["{{ montants.total_du|upper_case }}"],
        [(ERREUR, "paragraphe 1", "filtre inconnu « upper_case » ; vouliez-vous dire « upper » ?")],
    ),
    "variable_de_la_requete": (
        ["{{ decision.intitule }}"],
        [
            (
                ERREUR,
                "paragraphe 1",
                "variable « decision » absente du contexte du recours gracieux (elle n'existe "
                "que pour : recours hiérarchique et requête)",
            )
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(DOCX_CASES))
def test_broken_word_template(tmp_path: Path, case: str) -> None:
    blocks, expected = DOCX_CASES[case]
    build_docx(tmp_path / "recours_gracieux.docx", *blocks)
    assert problems(tmp_path) == expected


def test_word_footer_is_checked(tmp_path: Path) -> None:
    build_docx(tmp_path / "recours_gracieux.docx", "A", footer="{{ organisme.raison_socile }}")
    rapport = check_templates(tmp_path, render=False)
    assert [(p.lieu, p.message, p.extrait) for p in rapport.problemes] == [
        (
            "pied de page 1, paragraphe 1",
            "variable inconnue « organisme.raison_socile » ; vouliez-vous dire "
            "« organisme.raison_sociale » ?",
            "{{ organisme.raison_socile }}",
        )
    ]


def test_word_rendering_error_has_its_paragraph(tmp_path: Path) -> None:
    build_docx(tmp_path / "requete.docx", "A", "{{ decision.intitule }}", "{{ 1 // 0 }}")
    assert problems(tmp_path, render=True) == [
        (
            ERREUR,
            "paragraphe 3",
            "rendu impossible avec le dossier d'exemple « annees-definitives-indemnitaire » "
            "(requête — prix-de-journee-2024) : division par zéro",
        )
    ]


def test_valid_word_template_with_loops_renders_every_example(tmp_path: Path) -> None:
    build_docx(
        tmp_path / "requete.docx",
        "{{ organisme.raison_sociale }} c/ {{ autorite.nom }}",
        "{%p for m in moyens %}",
        "{{ loop.index }}. {{ m.intitule|upper }} ({{ m.references|join(', ') }})",
        "{%p endfor %}",
        [
            ["{%tr for l in montants.lignes %}", ""],
            ["{{ l.etablissement }}", "{{ l.du }}"],
            ["{%tr endfor %}", ""],
        ],
        "{% set t = montants %}{{ t.total_ecart }} — {{ textes['crpa_l411_2'] }}",
        "{% for k, v in textes_courts.items() %}{{ k }}{% endfor %}",
    )
    rapport = check_templates(tmp_path, pdf=False)
    assert rapport.problemes == []
    assert rapport.rendus == 10  # one requête per decision of the example dossiers


# ---------------------------------------------------------------- bundled templates


def test_exported_templates_pass_the_check_cli(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "modeles"
    result = runner.invoke(main, ["modeles", "exporter", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "LISEZMOI.md").is_file()
    assert (folder / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    result = runner.invoke(main, ["modeles", "verifier", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Vérification des modèles de {folder}",
        "demande_indemnitaire.docx : aucun problème",
        "demande_indemnitaire.html : aucun problème",
        "inventaire.html : aucun problème",
        "mise_en_demeure.docx : aucun problème",
        "mise_en_demeure.html : aucun problème",
        "recours_gracieux.docx : aucun problème",
        "recours_gracieux.html : aucun problème",
        "recours_hierarchique.docx : aucun problème",
        "recours_hierarchique.html : aucun problème",
        "requete.docx : aucun problème",
        "requete.html : aucun problème",
        "requete_indemnitaire.docx : aucun problème",
        "requete_indemnitaire.html : aucun problème",
        "style.css : aucun problème",
        "tableau_montants.html : aucun problème",
        # 35 documents (6 recours gracieux, 10 requêtes, 6 demandes indemnitaires, 1 mise en
        # demeure, 10 recours hiérarchiques: one per decision, written or held back, 2 requêtes
        # indemnitaires) x their HTML and Word templates, plus the inventory and the amounts
        # table of each requête.
        "Rendus des dossiers d'exemple réussis : 90",
        "Résultat : 0 erreur, 0 avertissement.",
    ]


def test_export_refuses_a_non_empty_folder(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "note.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["modeles", "exporter", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : le dossier {tmp_path} n'est pas vide, rien n'a été copié "
        "(utilisez --force pour y écrire quand même)\n"
    )
    assert not (tmp_path / "requete.docx").exists()
    assert len(export_templates(tmp_path, force=True)) == 21


def test_check_cli_reports_and_fails(tmp_path: Path, runner: CliRunner) -> None:
    shutil.copyfile(CASSES / "filtre_inconnu.html", tmp_path / "recours_gracieux.html")
    result = runner.invoke(main, ["modeles", "verifier", "--sans-pdf", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == "\n".join(
        [
            f"Vérification des modèles de {tmp_path}",
            "recours_gracieux.html, ligne 1 — erreur : filtre inconnu « majuscules »",
            "    près de : « <p>{{ montants.total_du|majuscules }}</p> »",
            "demande_indemnitaire.docx : absent, le modèle fourni sera utilisé",
            "demande_indemnitaire.html : absent, le modèle fourni sera utilisé",
            "inventaire.html : absent, le modèle fourni sera utilisé",
            "mise_en_demeure.docx : absent, le modèle fourni sera utilisé",
            "mise_en_demeure.html : absent, le modèle fourni sera utilisé",
            "recours_gracieux.docx : absent, le modèle fourni sera utilisé",
            "recours_hierarchique.docx : absent, le modèle fourni sera utilisé",
            "recours_hierarchique.html : absent, le modèle fourni sera utilisé",
            "requete.docx : absent, le modèle fourni sera utilisé",
            "requete.html : absent, le modèle fourni sera utilisé",
            "requete_indemnitaire.docx : absent, le modèle fourni sera utilisé",
            "requete_indemnitaire.html : absent, le modèle fourni sera utilisé",
            "style.css : absent, le modèle fourni sera utilisé",
            "tableau_montants.html : absent, le modèle fourni sera utilisé",
            "Résultat : 1 erreur, 0 avertissement.",
            "",
        ]
    )


def test_empty_folder_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["modeles", "verifier", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : aucun modèle (.docx ou .html) dans {tmp_path}\n"


def test_report_text_counts_warnings(tmp_path: Path) -> None:
    build_docx(tmp_path / "recours_gracieux.docx", ("{{ organisme.", ("b", "siren }}")))
    text = report_text(check_templates(tmp_path, render=False))
    assert text.endswith("Résultat : 0 erreur, 1 avertissement.")


@pytest.mark.parametrize(
    ("jinja", "french"),
    [
        ("expected token 'end of print statement', got 'x'", "« x » inattendu, « }} » attendu"),
        ("unexpected char '“' at 12", "caractère « “ » inattendu dans une balise"),
        ("Encountered unknown tag 'p'.", "balise inconnue « p »"),
        ("something else", "something else"),
    ],
)
def test_french_syntax_errors(jinja: str, french: str) -> None:
    assert french_syntax_error(jinja) == french


# ------------------------------------------------------------------ --modeles fallback


def test_generate_falls_back_to_bundled_templates(tmp_path: Path, runner: CliRunner) -> None:
    from pypdf import PdfReader

    custom = tmp_path / "modeles"
    custom.mkdir()
    html = (ROOT / "templates" / "recours_gracieux.html").read_text(encoding="utf-8")
    marker = '<p class="mention">Modèle du cabinet Durand — '
    (custom / "recours_gracieux.html").write_text(
        html.replace('<p class="mention">', marker), encoding="utf-8"
    )
    out = tmp_path / "sortie"
    result = runner.invoke(
        main,
        [
            "generer",
            str(ROOT / "examples" / "mecs-conseil-departemental.yaml"),
            "--modeles",
            str(custom),
            "--sortie",
            str(out),
            "--documents",
            "gracieux",
            "--aujourdhui",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    stem = out / "recours-gracieux_departement-de-la-sarthe"
    lines = result.stdout.splitlines()
    assert lines[1:3] == [
        f"  {stem}.docx  (modèle : {ROOT / 'templates' / 'recours_gracieux.docx'})",
        f"  {stem}.pdf  (modèle : {custom / 'recours_gracieux.html'})",
    ]
    text = " ".join(page.extract_text() for page in PdfReader(stem.with_suffix(".pdf")).pages)
    assert "Modèle du cabinet Durand" in " ".join(text.split())
    from docx import Document as open_docx

    word = " ".join(p.text for p in open_docx(str(stem.with_suffix(".docx"))).paragraphs)
    assert "Lettre recommandée" in word
    assert "Modèle du cabinet Durand" not in word


# ----------------------------------------------------------------------------- models


def test_checker_knows_the_variables_of_the_models_not_of_the_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recours.authoring import check
    from recours.authoring.variables import build_reference

    # A reference with no example at all: what the checker knows comes from the models.
    monkeypatch.setattr(check, "template_reference", lambda: build_reference([]))
    (tmp_path / "mise_en_demeure.html").write_text(
        "{% for v in financement.versements %}{{ v.date }} {{ v.montant }}{% endfor %}\n"
        "{% for v in financement.versements %}{{ v.banque }}{% endfor %}\n"
        "{{ tribunal.nom }}\n",
        encoding="utf-8",
    )
    rapport = check_templates(tmp_path, render=False)
    assert [(p.lieu, p.message) for p in rapport.problemes] == [
        (
            "ligne 2",
            "variable inconnue « v.banque » (financement.versements[].banque)",
        ),
        (
            "ligne 3",
            "variable « tribunal » absente du contexte de la mise en demeure de payer "
            "(elle n'existe que pour : requête et requête indemnitaire)",
        ),
    ]


def test_render_errors_are_worded_once_by_the_sandbox() -> None:
    # The renderers and the template checker use one translator (sandbox), not two.
    from jinja2 import Environment, StrictUndefined, UndefinedError
    from jinja2.exceptions import SecurityError

    from recours.authoring import check
    from recours.documents.sandbox import TemplateLimitError, describe_template_error, refusal

    assert not hasattr(check, "french_render_error")
    french_render_error = describe_template_error

    refused = SecurityError("accès interdit à l'attribut « __class__ »")
    assert french_render_error(refused) == (
        "opération interdite par le bac à sable des modèles (accès interdit à l'attribut "
        "« __class__ »)"
    )
    assert str(refusal("x.html", refused)) == f"x.html : {french_render_error(refused)}"
    limit = TemplateLimitError("boucles trop longues")
    assert french_render_error(limit) == "boucles trop longues"
    env = Environment(undefined=StrictUndefined)
    with pytest.raises(UndefinedError) as info:
        env.from_string("{{ organisme.raison }}").render(organisme={})
    assert french_render_error(info.value) == (
        "variable inconnue « raison » (voir recours modeles variables)"
    )
    assert french_render_error(ZeroDivisionError()) == "division par zéro"


ENGINES = {
    "docxtpl": "recours.documents.render_docx",
    "weasyprint": "recours.documents.render_pdf",
    "questionary": "recours.questionnaire.prompter",
}


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    import ast

    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [alias.name for alias in node.names]))
    return out


def test_each_engine_is_imported_in_one_module_and_renderers_keep_their_privates() -> None:
    src = ROOT / "src"
    found: list[str] = []
    for path in sorted((src / "recours").rglob("*.py")):
        module = ".".join(path.relative_to(src).with_suffix("").parts)
        for imported, names in _imports(path):
            engine = imported.split(".")[0]
            if engine in ENGINES and ENGINES[engine] != module:
                found.append(f"{module} imports {imported}")
            if imported in ENGINES.values() and imported != module:
                found += [f"{module} imports {imported}.{n}" for n in names if n.startswith("_")]
    assert found == []
