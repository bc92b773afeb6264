"""The template variable reference: every variable a template can use, as a dotted path.

The reference is generated, not written: its paths, types and French descriptions come
from the context models (`documents.models`: one top-level model per document kind; lists
become `[]`); the example dossiers (examples/*.yaml) only supply the « exemple » column.
When a variable comes straight from a dossier field, the field and its model description
are shown too. `recours modeles variables` prints it; docs/variables-modeles.md is its
Markdown form; `recours modeles verifier` checks templates against it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from recours.documents.context import Context
from recours.documents.models import ARTICLE_KEYS, CONTEXT_MODELS, MultiLine
from recours.documents.sandbox import TEMPLATE_FILES, convert_multiline
from recours.dossier import models
from recours.errors import RecoursError
from recours.law.referentiel import load_referentiel

# A fixed date (the examples' document date) keeps deadline statuses reproducible.
EXAMPLE_TODAY = date(2026, 11, 20)
KINDS = tuple(CONTEXT_MODELS)
KIND_LABELS = {kind: model.libelle for kind, model in CONTEXT_MODELS.items()}

# Which context each template file is rendered with: the inventory and the amounts table
# are pièces of the requête.
TEMPLATE_KINDS = {
    name: (document if document in KINDS else "requete")
    for (document, _fmt), name in TEMPLATE_FILES.items()
}

# Context objects that mirror a dossier model: (model, path of the field in the dossier).
MODEL_SOURCES: dict[str, tuple[type[BaseModel], str]] = {
    "organisme": (models.Organisme, "organisme"),
    "organisme.siege": (models.Adresse, "organisme.siege"),
    "organisme.representant_legal": (models.Personne, "organisme.representant_legal"),
    "organisme.signataire": (models.Signataire, "organisme.signataire"),
    "organisme.contact": (models.Contact, "organisme.contact"),
    "autorite": (models.Autorite, "autorites[]"),
    "autorite.adresse": (models.Adresse, "autorites[].adresse"),
    "etablissements[]": (models.Etablissement, "etablissements[]"),
    "etablissements[].adresse": (models.Adresse, "etablissements[].adresse"),
    "decision": (models.Decision, "decisions[]"),
    "decisions[]": (models.Decision, "decisions[]"),
    "decision.recours_gracieux": (models.RecoursGracieuxEnvoye, "decisions[].recours_gracieux"),
    "decisions[].recours_gracieux": (models.RecoursGracieuxEnvoye, "decisions[].recours_gracieux"),
    "avocat": (models.Avocat, "avocat"),
    "avocat.adresse": (models.Adresse, "avocat.adresse"),
    "document": (models.Dossier, ""),
    "": (models.Dossier, ""),
}


@dataclass(frozen=True)
class Variable:
    """One variable of the reference."""

    chemin: str
    type: str
    description: str
    exemple: str
    documents: tuple[str, ...]
    champ_dossier: str = ""
    aide_champ: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "chemin": self.chemin,
            "type": self.type,
            "description": self.description,
            "exemple": self.exemple,
            "documents": list(self.documents),
            "champ_dossier": self.champ_dossier or None,
            "aide_champ": self.aide_champ or None,
        }


@dataclass(frozen=True)
class ExampleContext:
    """A document context built from an example dossier."""

    exemple: str
    kind: str
    libelle: str
    context: Context


def examples_dir() -> Path | None:
    """The example dossiers: inside the wheel (recours/examples) or examples/ of a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "examples"
    if packaged.is_dir():
        return packaged
    folder = Path(__file__).resolve().parents[3] / "examples"
    return folder if folder.is_dir() else None


def example_contexts(today: date = EXAMPLE_TODAY) -> list[ExampleContext]:
    """Every document context the example dossiers give: each gracieux, each requête."""
    from recours.dossier.validation import load_dossier

    folder = examples_dir()
    if folder is None or not any(folder.glob("*.yaml")):
        raise RecoursError("dossiers d'exemple introuvables (examples/*.yaml)")
    from recours.documents.generate import build_context
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    out = []
    for path in sorted(folder.glob("*.yaml")):
        analysis = analyse(load_dossier(path), today, load_referentiel())
        for doc in analysis.documents:
            # Every document the dossier can have, written now or not: each is a context
            # a template must render.
            label = (
                f"requête — {analysis.decision(doc.decisions[0]).ident}"
                if doc.kind == "requete" and doc.decisions
                else doc.libelle
            )
            out.append(ExampleContext(path.stem, doc.kind, label, build_context(analysis, doc)))
    return out


def _scalar_type(annotation: Any) -> str:
    if annotation is MultiLine:
        return "texte multiligne"
    if annotation is bool:
        return "booléen"
    if annotation in (int, float):
        return "nombre"
    if annotation is str:
        return "texte"
    raise TypeError(f"type de variable de modèle non décrit : {annotation!r}")


@dataclass
class _Node:
    type: str
    description: str
    documents: set[str] = field(default_factory=set)


def _add(nodes: dict[str, _Node], path: str, type_: str, description: str, kind: str) -> None:
    node = nodes.get(path)
    if node is None:
        node = nodes[path] = _Node(type_, description)
    node.description = node.description or description
    node.documents.add(kind)


def _article_keys() -> dict[str, str]:
    """The referential's articles by the key templates use (textes.crpa_l411_2): their
    subject."""
    return {
        key.replace("-", "_").replace(".", "_"): article.objet.rstrip(".")
        for key, article in load_referentiel().articles.items()
    }


def _walk_type(
    nodes: dict[str, _Node],
    annotation: Any,
    path: str,
    description: str,
    kind: str,
    extra: dict[str, Any],
) -> None:
    """Add the variable `path` of type `annotation` and everything under it."""
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _add(nodes, path, "objet", description, kind)
        _walk_model(nodes, annotation, path, kind)
    elif origin is list:
        _add(nodes, path, "liste", description, kind)
        (item,) = get_args(annotation)
        _walk_type(nodes, item, f"{path}[]", "", kind, {})
    elif origin is dict:
        # A table keyed by data (the referential's articles): one variable per key.
        _add(nodes, path, "objet", description, kind)
        if extra.get("cles") != ARTICLE_KEYS:
            raise TypeError(f"{path} : clés de la table non décrites (json_schema_extra)")
        for key, objet in _article_keys().items():
            text = str(extra["description_cle"]).format(objet=objet)
            _walk_type(nodes, get_args(annotation)[1], f"{path}.{key}", text, kind, {})
    else:
        _add(nodes, path, _scalar_type(annotation), description, kind)


def _walk_model(nodes: dict[str, _Node], model: type[BaseModel], prefix: str, kind: str) -> None:
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        path = f"{prefix}.{name}" if prefix else name
        _walk_type(nodes, info.annotation, path, info.description or "", kind, extra)


@functools.cache
def _model_nodes() -> dict[str, _Node]:
    """Every variable of every document kind, from the context models, in model order."""
    nodes: dict[str, _Node] = {}
    for kind, model in CONTEXT_MODELS.items():
        _walk_model(nodes, model, "", kind)
    return nodes


def _collect_examples(value: Any, path: str, examples: dict[str, Any]) -> None:
    """The first non-empty value of each path in an example's template data."""
    if isinstance(value, dict):
        for key, item in value.items():
            _collect_examples(item, f"{path}.{key}" if path else key, examples)
    elif isinstance(value, list):
        for item in value:
            _collect_examples(item, f"{path}[]", examples)
    elif value != "" and path not in examples:
        examples[path] = value


def description_of(path: str) -> str | None:
    """The French description of a variable path, from the context models."""
    node = _model_nodes().get(path)
    return node.description if node is not None else None


def _model_field(path: str) -> tuple[str, str]:
    parent, _, name = path.rpartition(".")
    source = MODEL_SOURCES.get(parent)
    if source is None:
        return "", ""
    model, prefix = source
    info = model.model_fields.get(name)
    if info is None:
        return "", ""
    return (f"{prefix}.{name}" if prefix else name), info.description or ""


def _example_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    text = " ".join(str(value).split())
    return text if len(text) <= 70 else text[:69] + "…"


@dataclass(frozen=True)
class Reference:
    """All template variables, by path (lists as `[]`), in the context models' order."""

    variables: tuple[Variable, ...]
    types: dict[str, str]
    documents: dict[str, frozenset[str]]

    def children(self, path: str) -> list[str]:
        """Names directly under an object path ("" for the top level)."""
        prefix = f"{path}." if path else ""
        names = (p[len(prefix) :] for p in self.types if p.startswith(prefix))
        return [n for n in names if n and "." not in n and "[" not in n]


def build_reference(contexts: list[ExampleContext]) -> Reference:
    """The reference of the context models; the examples give the « exemple » column
    (a variable no example fills is listed all the same, without example)."""
    nodes = _model_nodes()
    examples: dict[str, Any] = {}
    for example in contexts:
        _collect_examples(convert_multiline(example.context, str), "", examples)
    variables = []
    for path, node in nodes.items():
        if path.endswith("[]"):
            continue
        shown, sample = node.type, examples.get(path)
        if node.type == "liste":
            item = nodes[f"{path}[]"]
            shown = "liste d'objets" if item.type == "objet" else "liste de textes"
            sample = examples.get(f"{path}[]") if item.type != "objet" else None
        elif node.type == "objet":
            sample = None
        champ, aide = _model_field(path)
        variables.append(
            Variable(
                chemin=path,
                type=shown,
                description=node.description,
                exemple=_example_text(sample),
                documents=tuple(k for k in KINDS if k in node.documents),
                champ_dossier=champ,
                aide_champ=aide,
            )
        )
    return Reference(
        variables=tuple(variables),
        types={p: n.type for p, n in nodes.items()},
        documents={p: frozenset(n.documents) for p, n in nodes.items()},
    )


@functools.cache
def template_reference() -> Reference:
    """The reference of the context models, with examples from the example dossiers when
    they are there (once per process)."""
    return build_reference(example_contexts() if examples_dir() is not None else [])


def undescribed(reference: Reference) -> list[str]:
    """Variable paths with no French description (every model field must have one)."""
    return [v.chemin for v in reference.variables if not v.description]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown(reference: Reference) -> str:
    """docs/variables-modeles.md."""
    lines = [
        "# Variables des modèles",
        "",
        "<!-- Généré par `recours modeles variables --format md` : ne pas modifier à la main. -->",
        "",
        "Les modèles Word (`.docx`) et HTML (`.html`) utilisent ces variables entre doubles "
        "accolades : `{{ organisme.raison_sociale }}`. Un chemin avec `[]` désigne les "
        "éléments d'une liste, à parcourir avec une boucle : "
        "`{% for l in montants.lignes %}{{ l.du }}{% endfor %}`. La colonne « Documents » "
        "indique le contexte où la variable existe : le recours gracieux "
        "(`recours_gracieux.*`) ou la requête (`requete.*`, `inventaire.html`, "
        "`tableau_montants.html`). Les exemples viennent des dossiers `examples/*.yaml`.",
        "",
        "Vérifiez un modèle modifié avec `recours modeles verifier DOSSIER`.",
    ]
    section = None
    for var in reference.variables:
        top = var.chemin.split(".")[0].split("[")[0]
        if top != section:
            section = top
            lines += [
                "",
                f"## `{top}`",
                "",
                "| Variable | Type | Description | Exemple | Documents | Champ du dossier |",
                "|---|---|---|---|---|---|",
            ]
        docs = ", ".join(KIND_LABELS[k] for k in var.documents)
        example = f"`{_cell(var.exemple)}`" if var.exemple else ""
        champ = f"`{var.champ_dossier}`" if var.champ_dossier else ""
        lines.append(
            f"| `{var.chemin}` | {var.type} | {_cell(var.description)} | {example} | {docs} "
            f"| {champ} |"
        )
    lines += ["", "## Filtres de grammaire", "", FILTERS_INTRO, ""]
    lines += ["| Filtre | Effet | Exemples |", "|---|---|---|"]
    lines += [f"| `{name}` | {effect} | {examples} |" for name, effect, examples in FILTERS]
    return "\n".join(lines) + "\n"


FILTERS_INTRO = (
    "Contraction et élision des noms de lieux et d'autorités : `Fait {{ document.lieu|a }}` "
    "donne « Fait au Mans », `à la charge {{ autorite.defendeur_nom|de }}` donne « à la charge "
    "du département de la Sarthe ». L'article est lu en tête du nom (« le département », "
    "« Le Mans », « La Rochelle ») ; pour un nom de département sans article, donnez-le : "
    "`{{ 'Haut-Rhin'|de('le') }}` donne « du Haut-Rhin »."
)
FILTERS = (
    (
        "de",
        "précède le nom de « de », contracté ou élidé",
        "« du Mans », « de la Métropole de Lyon », « de l'Ain », « d'Eure-et-Loir », "
        "« de Paris », « de La Réunion », « des Hautes-Alpes »",
    ),
    (
        "a",
        "précède le nom de « à », contracté",
        "« au Mans », « aux Sables-d'Olonne », « à La Rochelle », « à la Métropole de Lyon »",
    ),
)


def reference_json(reference: Reference) -> str:
    return json.dumps([v.to_json() for v in reference.variables], ensure_ascii=False, indent=2)


def docs_path() -> Path:
    return Path(__file__).resolve().parents[3] / "docs" / "variables-modeles.md"
