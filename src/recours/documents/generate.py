"""Document generation: which documents a dossier calls for, rendering, safe writing.

`generate` is the library function behind `recours generer` (and the questionnaire and
the batch): plan the documents, check deadlines and existing files, render Word and PDF
through the renderers (loaded once per process), write atomically.
"""

from __future__ import annotations

import atexit
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recours.documents.context import (
    DEMANDE_INDEMNITAIRE,
    GRACIEUX,
    MISE_EN_DEMEURE,
    REQUETE,
    Context,
    demande_indemnitaire_context,
    gracieux_context,
    mise_en_demeure_context,
    requete_context,
)
from recours.documents.sandbox import TEMPLATE_FILES, bundled_templates_dir
from recours.dossier.models import Dossier
from recours.errors import FileExistsRefusedError, RecoursError
from recours.files import atomic_write_bytes, ensure_dir
from recours.law.analysis import (
    DOCUMENTS,
    OPTION_HORS_DELAI,
    OPTION_SANS_AVOCAT,
    Analysis,
    Option,
    PlannedDocument,
    analyse,
)
from recours.law.deadlines import Deadline
from recours.law.referentiel import Referentiel, load_referentiel

if TYPE_CHECKING:
    from recours.documents.render_docx import DocxRenderer
    from recours.documents.render_pdf import PdfRenderer

__all__ = ["DOCUMENTS", "FORMATS", "GenerationResult", "generate"]

FORMATS = ("docx", "pdf")
STATUT_GENERE = "genere"
STATUT_REFUSE = "refuse"


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    document: str
    format: str
    modele: Path | None


@dataclass
class DocumentResult:
    """What became of one planned document: written, or refused and why."""

    document: PlannedDocument
    statut: str  # STATUT_GENERE | STATUT_REFUSE
    fichiers: list[WrittenFile] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # refusals, or the document's warnings


@dataclass
class GenerationResult:
    fichiers: list[WrittenFile] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    refus: list[str] = field(default_factory=list)
    a_fournir: list[str] = field(default_factory=list)
    prochaine_echeance: tuple[str, Deadline] | None = None
    documents: list[DocumentResult] = field(default_factory=list)


class Renderers:
    """Template lookup (custom folder first, bundled fallback) and one renderer per template."""

    def __init__(self, custom_dir: Path | None = None) -> None:
        bundled = bundled_templates_dir()
        self.search_path = [custom_dir, bundled] if custom_dir else [bundled]
        self._docx: dict[Path, DocxRenderer] = {}
        self._pdf: PdfRenderer | None = None

    def template_path(self, document: str, fmt_: str) -> Path:
        name = TEMPLATE_FILES[(document, fmt_)]
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise RecoursError(f"modèle introuvable : {name}")

    def docx(self, document: str) -> tuple[DocxRenderer, Path]:
        from recours.documents.render_docx import DocxRenderer

        path = self.template_path(document, "docx")
        if path not in self._docx:
            self._docx[path] = DocxRenderer(path)
        return self._docx[path], path

    def pdf(self) -> PdfRenderer:
        if self._pdf is None:
            from recours.documents.render_pdf import PdfRenderer

            self._pdf = PdfRenderer(self.search_path)
        return self._pdf


@functools.cache
def renderers_for(custom_dir: Path | None = None) -> Renderers:
    """One set of renderers per process and template folder (templates compiled once)."""
    return Renderers(custom_dir)


# WeasyPrint's FontConfiguration cleans up through cffi in __del__; release it before the
# interpreter tears cffi down, or Python prints a harmless but alarming traceback at exit.
atexit.register(renderers_for.cache_clear)


def _document_warnings(analysis: Analysis, doc: PlannedDocument, ref: Referentiel) -> list[str]:
    """Warnings a planned document carries: its own, its decisions' deadlines and grounds."""
    warnings = list(doc.avertissements)
    for index in doc.decisions:
        d = analysis.decision(index)
        warnings += d.delais.avertissements
        for ground in d.moyens:
            if not ground.imprime:
                fait = ground.faits_manquants[0]
                warnings.append(
                    ref.message(
                        "moyen_non_imprime",
                        document=doc.libelle,
                        moyen=ground.moyen.intitule,
                        question=" ".join(ref.faits[fait].question.split()),
                        index=str(index),
                        fait=fait,
                    )
                )
    uncertain = sorted(
        {
            g.moyen.intitule
            for index in doc.decisions
            for g in analysis.decision(index).moyens
            if g.imprime and not g.moyen.verifie
        }
    )
    if uncertain:
        warnings.append(
            f"{doc.libelle} : moyens dont le fondement est marqué « à vérifier » dans le "
            f"référentiel, à relire avant envoi : {' ; '.join(uncertain)}."
        )
    return list(dict.fromkeys(warnings))


def build_context(analysis: Analysis, doc: PlannedDocument) -> Context:
    if doc.kind == "gracieux":
        return gracieux_context(analysis, doc)
    if doc.kind == "demande_indemnitaire":
        return demande_indemnitaire_context(analysis, doc)
    if doc.kind == "mise_en_demeure":
        return mise_en_demeure_context(analysis, doc)
    return requete_context(analysis, doc)


def _metadata(dossier: Dossier, ctx: Context, doc: PlannedDocument, today: date) -> dict[str, Any]:
    kinds = {k.code: k for k in (GRACIEUX, REQUETE, DEMANDE_INDEMNITAIRE, MISE_EN_DEMEURE)}
    kind = kinds[doc.kind]
    accord = ctx["accord"]
    addressee = ctx["payeur"]["nom"] if doc.kind == "mise_en_demeure" else ctx["autorite"]["nom"]
    return {
        "titre": f"{kind.titre} — {dossier.organisme.raison_sociale} — {addressee}",
        "auteur": dossier.organisme.raison_sociale,
        "sujet": f"Financement de l'accord du {accord['date']} (« Ségur pour tous »)",
        "date": dossier.date_document or today,
    }


def _targets(
    planned: Sequence[PlannedDocument],
    formats: Sequence[str],
    sortie: Path,
    bordereau: bool,
) -> list[Path]:
    paths = [sortie / f"{doc.stem}.{f}" for doc in planned for f in formats]
    if bordereau:
        paths += [sortie / f"telerecours_{doc.stem}" for doc in planned if doc.kind == "requete"]
    return paths


def generate(
    dossier: Dossier,
    *,
    sortie: Path,
    today: date,
    documents: Iterable[str] | None = None,
    formats: Sequence[str] = FORMATS,
    force: bool = False,
    hors_delai: bool = False,
    sans_avocat: bool = False,
    bordereau: bool = False,
    modeles: Path | None = None,
    analysis: Analysis | None = None,
) -> GenerationResult:
    """Generate the dossier's documents into `sortie`.

    Never overwrites without `force`; writes a document the analysis holds back only with
    the option that lifts its blocker (`hors_delai`: out of time or a second recours
    gracieux; `sans_avocat`: a requête where a lawyer may be required). The analysis is
    computed here unless the caller (questionnaire, batch) already has it.
    """
    ref = load_referentiel()
    if analysis is None:
        analysis = analyse(dossier, today, ref)
    result = GenerationResult()
    planned = analysis.plan(documents)
    if not planned:
        raise RecoursError(
            "aucun document à générer : précisez --documents gracieux,requete "
            "(un recours gracieux a peut-être déjà été envoyé pour chaque décision)"
        )
    options: list[Option] = []
    if hors_delai:
        options.append(OPTION_HORS_DELAI)
    if sans_avocat:
        options.append(OPTION_SANS_AVOCAT)
    result.avertissements += analysis.avertissements
    allowed: list[tuple[PlannedDocument, DocumentResult]] = []
    for doc in planned:
        refused = doc.refus(options)
        if refused:
            texts = [b.texte for b in refused]
            result.refus += texts
            result.documents.append(DocumentResult(doc, STATUT_REFUSE, messages=texts))
            continue
        notes = _document_warnings(analysis, doc, ref)
        for blocker in doc.leves(options):
            code = "genere_hors_delai" if blocker.option == OPTION_HORS_DELAI else "sans_avocat"
            notes.append(
                ref.message(
                    code,
                    document=doc.libelle,
                    explication=" ".join(
                        analysis.decision(doc.decisions[0]).avocat.explication.split()
                    ),
                )
            )
        outcome = DocumentResult(doc, STATUT_GENERE, messages=notes)
        result.documents.append(outcome)
        result.avertissements += [n for n in notes if n not in result.avertissements]
        allowed.append((doc, outcome))
    existing = [
        p for p in _targets([d for d, _ in allowed], formats, sortie, bordereau) if p.exists()
    ]
    if existing and not force:
        raise FileExistsRefusedError(
            "fichier(s) déjà présent(s), rien n'a été écrit (utilisez --force pour remplacer) : "
            + ", ".join(str(p) for p in existing)
        )
    if allowed:
        ensure_dir(sortie)
    renderers = renderers_for(modeles)
    for doc, outcome in allowed:
        ctx = build_context(analysis, doc)
        meta = _metadata(dossier, ctx, doc, today)
        written_before = len(result.fichiers)
        if "docx" in formats:
            renderer, template = renderers.docx(doc.kind)
            from recours.documents.render_docx import Proprietes

            data = renderer.render(
                ctx, Proprietes(meta["titre"], meta["auteur"], meta["sujet"], meta["date"])
            )
            path = sortie / f"{doc.stem}.docx"
            atomic_write_bytes(path, data, force=True)
            result.fichiers.append(WrittenFile(path, doc.kind, "docx", template))
        if "pdf" in formats or bordereau:
            pdf_bytes, template = _render_pdf(renderers, doc.kind, ctx, meta)
            if "pdf" in formats:
                path = sortie / f"{doc.stem}.pdf"
                atomic_write_bytes(path, pdf_bytes, force=True)
                result.fichiers.append(WrittenFile(path, doc.kind, "pdf", template))
            if bordereau and doc.kind == "requete":
                _write_bordereau(
                    renderers, sortie / f"telerecours_{doc.stem}", ctx, meta, pdf_bytes, result
                )
        outcome.fichiers = result.fichiers[written_before:]
    if ("pdf" in formats or bordereau) and allowed:
        from recours.documents.render_pdf import harfbuzz_subset_available

        if not harfbuzz_subset_available():
            result.avertissements.append(
                "libharfbuzz-subset est absente : les PDF sont environ 2,4 fois plus lents à "
                "produire (Debian/Ubuntu : apt-get install libharfbuzz-subset0 ; voir recours diagnostic)."
            )
    result.prochaine_echeance = analysis.prochaine_echeance
    return result


def _render_pdf(
    renderers: Renderers, kind: str, ctx: Context, meta: dict[str, Any]
) -> tuple[bytes, Path]:
    from recours.documents.render_pdf import Metadonnees

    template = renderers.template_path(kind, "pdf")
    data = renderers.pdf().render(template.name, ctx, Metadonnees(**meta))
    return data, template


def _write_bordereau(
    renderers: Renderers,
    folder: Path,
    ctx: Context,
    meta: dict[str, Any],
    requete_pdf: bytes,
    result: GenerationResult,
) -> None:
    """A folder ready for Télérecours: the requête, one PDF per generated pièce, the inventory."""
    from recours.documents.render_pdf import Metadonnees

    pdf = renderers.pdf()
    atomic_write_bytes(folder / "requete.pdf", requete_pdf, force=True)
    result.fichiers.append(WrittenFile(folder / "requete.pdf", "requete", "pdf", None))
    for piece in ctx["pieces"]:
        if piece["generee"]:
            data = pdf.render(
                TEMPLATE_FILES[("montants", "pdf")],
                ctx,
                Metadonnees(**{**meta, "titre": piece["intitule"]}),
            )
            path = folder / piece["fichier"]
            atomic_write_bytes(path, data, force=True)
            result.fichiers.append(WrittenFile(path, "piece", "pdf", None))
        else:
            result.a_fournir.append(str(folder / piece["fichier"]))
    inventory = pdf.render(
        TEMPLATE_FILES[("inventaire", "pdf")],
        ctx,
        Metadonnees(**{**meta, "titre": "Inventaire des pièces"}),
    )
    atomic_write_bytes(folder / "inventaire.pdf", inventory, force=True)
    result.fichiers.append(WrittenFile(folder / "inventaire.pdf", "inventaire", "pdf", None))
