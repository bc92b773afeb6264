"""Document generation: which documents a dossier calls for, rendering, safe writing.

`generate` is the library function behind `recours generer` (and the questionnaire and
the batch): plan the documents, check deadlines and existing files, render Word and PDF
through the renderers (loaded once per process), write atomically.
"""

from __future__ import annotations

import atexit
import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recours.documents.context import BUILDERS, Context
from recours.documents.models import ContexteMiseEnDemeure
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

    def customised(self, document: str, fmt_: str) -> bool:
        """Whether the custom folder holds this template with content of its own."""
        name = TEMPLATE_FILES[(document, fmt_)]
        if self.search_path[0] == bundled_templates_dir():
            return False
        custom = self.search_path[0] / name
        bundled = bundled_templates_dir() / name
        return custom.is_file() and (
            not bundled.is_file() or custom.read_bytes() != bundled.read_bytes()
        )

    def pdf_source(self, document: str) -> str:
        """ "docx" when only the Word template was edited: the PDF is then made from the
        rendered Word document (LibreOffice), so that it shows the lawyer's edits."""
        if self.customised(document, "docx") and not self.customised(document, "pdf"):
            return "docx"
        return "html"

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


def _lawyer_text(analysis: Analysis, doc: PlannedDocument) -> str:
    """The lawyer rule of a document: its decision's, or the claim chain's (requête
    indemnitaire, CJA R.431-2 / R.431-3)."""
    if doc.decisions:
        return " ".join(analysis.decision(doc.decisions[0]).avocat.explication.split())
    if doc.chaine is not None:
        codes = ("indemnitaire_avocat_obligatoire", "indemnitaire_avocat_collectivite")
        return " ".join(w.texte for w in doc.chaine.avertissements if w.code in codes)
    return ""


def build_context(analysis: Analysis, doc: PlannedDocument) -> Context:
    """The template context of a planned document (its kind's model, documents.models)."""
    return BUILDERS[doc.kind](analysis, doc)


def _metadata(dossier: Dossier, ctx: Context, doc: PlannedDocument, today: date) -> dict[str, Any]:
    addressee = ctx.payeur.nom if isinstance(ctx, ContexteMiseEnDemeure) else ctx.autorite.nom
    return {
        "titre": f"{ctx.document.titre} — {dossier.organisme.raison_sociale} — {addressee}",
        "auteur": dossier.organisme.raison_sociale,
        "sujet": f"Financement de l'accord du {ctx.accord.date} (« Ségur pour tous »)",
        "date": dossier.date_document or today,
    }


def _targets(
    planned: Sequence[PlannedDocument],
    formats: Sequence[str],
    sortie: Path,
    bordereau: bool,
    archive: bool = False,
) -> list[Path]:
    paths = [sortie / f"{doc.stem}.{f}" for doc in planned for f in formats]
    if bordereau:
        paths += [sortie / f"telerecours_{doc.stem}" for doc in planned if doc.kind == "requete"]
    if archive:
        paths += [
            sortie / f"telerecours_{doc.stem}.zip" for doc in planned if doc.kind == "requete"
        ]
    return paths


def _check_pieces(
    dossier: Dossier,
    contexts: Sequence[tuple[PlannedDocument, Context]],
    base: Path,
    result: GenerationResult,
) -> None:
    """Check the user's pièces of every Télérecours folder before anything is written.

    A file given but missing, unreadable or too large stops the run; a mandatory pièce not
    given (the contested decision, CJA R.414-5 and the Télérecours citoyens guidance) is
    reported first among the warnings.
    """
    from recours.documents.pieces import check_pdf, resolve
    from recours.law.referentiel import load_referentiel

    max_mo = load_referentiel().telerecours.taille_max_fichier.valeur
    problems: list[str] = []
    missing: list[str] = []
    for doc, ctx in contexts:
        if doc.kind != "requete":
            continue
        for piece in ctx.pieces:
            if piece.source:
                problem = check_pdf(resolve(piece.source, base), max_mo)
                if problem:
                    problems.append(f"pièce n° {piece.numero} ({piece.intitule}) : {problem}")
            elif piece.obligatoire:
                missing.append(f"{doc.libelle} : pièce n° {piece.numero} ({piece.intitule})")
    if problems:
        raise RecoursError(
            "pièces du dossier Télérecours à corriger, rien n'a été écrit :\n  - "
            + "\n  - ".join(problems)
        )
    if missing:
        result.avertissements.insert(
            0,
            "Pièce obligatoire du dépôt Télérecours non fournie (indiquez son fichier PDF dans "
            "le dossier, champ fichier de la décision) : " + " ; ".join(missing) + ".",
        )


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
    only: Collection[str] | None = None,
    archive: bool = False,
    dossier_dir: Path | None = None,
) -> GenerationResult:
    """Generate the dossier's documents into `sortie`.

    Never overwrites without `force`; writes a document the analysis holds back only with
    the option that lifts its blocker (`hors_delai`: out of time or a second recours
    gracieux; `sans_avocat`: a requête where a lawyer may be required). The analysis is
    computed here unless the caller (questionnaire, batch) already has it. With
    `bordereau`, a Télérecours folder per requête (`archive`: also as a .zip); the user's
    pièces are read relative to `dossier_dir` (default: the current folder).
    """
    bordereau = bordereau or archive
    ref = load_referentiel()
    if analysis is None:
        analysis = analyse(dossier, today, ref)
    result = GenerationResult()
    planned = analysis.plan(documents)
    if only is not None:
        # The batch regenerates only the letters whose data changed (`only`: their stems).
        planned = [doc for doc in planned if doc.stem in only]
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
                ref.message(code, document=doc.libelle, explication=_lawyer_text(analysis, doc))
            )
        outcome = DocumentResult(doc, STATUT_GENERE, messages=notes)
        result.documents.append(outcome)
        result.avertissements += [n for n in notes if n not in result.avertissements]
        allowed.append((doc, outcome))
    docs = [doc for doc, _ in allowed]
    # Keyed by file stem: a planned document is not hashable (it holds referential models).
    contexts = {doc.stem: build_context(analysis, doc) for doc in docs}
    renderers = renderers_for(modeles)
    if "pdf" in formats or bordereau:
        _check_pdf_sources(renderers, docs, result)
    if bordereau:
        _check_pieces(
            dossier, [(doc, contexts[doc.stem]) for doc in docs], dossier_dir or Path.cwd(), result
        )
    existing = [p for p in _targets(docs, formats, sortie, bordereau, archive) if p.exists()]
    if existing and not force:
        raise FileExistsRefusedError(
            "fichier(s) déjà présent(s), rien n'a été écrit (utilisez --force pour remplacer) : "
            + ", ".join(str(p) for p in existing)
        )
    if allowed:
        ensure_dir(sortie)
    for doc, outcome in allowed:
        ctx = contexts[doc.stem]
        meta = _metadata(dossier, ctx, doc, today)
        written_before = len(result.fichiers)
        from_word = renderers.pdf_source(doc.kind) == "docx"
        docx_bytes = b""
        if "docx" in formats or (from_word and ("pdf" in formats or bordereau)):
            renderer, template = renderers.docx(doc.kind)
            from recours.documents.metadata import Metadonnees

            docx_bytes = renderer.render(
                ctx, Metadonnees(meta["titre"], meta["auteur"], meta["sujet"], meta["date"])
            )
        if "docx" in formats:
            path = sortie / f"{doc.stem}.docx"
            atomic_write_bytes(path, docx_bytes, force=True)
            result.fichiers.append(WrittenFile(path, doc.kind, "docx", template))
        if "pdf" in formats or bordereau:
            if from_word:
                from recours.documents.convert import docx_to_pdf

                pdf_bytes = docx_to_pdf(docx_bytes, doc.stem)
                template = renderers.template_path(doc.kind, "docx")
            else:
                pdf_bytes, template = _render_pdf(renderers, doc.kind, ctx, meta)
            if "pdf" in formats:
                path = sortie / f"{doc.stem}.pdf"
                atomic_write_bytes(path, pdf_bytes, force=True)
                result.fichiers.append(WrittenFile(path, doc.kind, "pdf", template))
            if bordereau and doc.kind == "requete":
                folder = sortie / f"telerecours_{doc.stem}"
                _write_bordereau(
                    renderers, folder, ctx, meta, pdf_bytes, result, dossier_dir or Path.cwd()
                )
                if archive:
                    _write_archive(folder, result)
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


def _check_pdf_sources(
    renderers: Renderers, allowed: Sequence[PlannedDocument], result: GenerationResult
) -> None:
    """A PDF never silently ignores a lawyer's edits of the Word template.

    Only the Word template edited: the PDF is made from the rendered Word document by
    LibreOffice; without LibreOffice, refuse before anything is written. Both edited: each
    format follows its own template, and the user is told to keep them in step.
    """
    from recours.documents.convert import soffice

    for kind in dict.fromkeys(doc.kind for doc in allowed):
        word = TEMPLATE_FILES[(kind, "docx")]
        html = TEMPLATE_FILES[(kind, "pdf")]
        if renderers.pdf_source(kind) == "docx":
            if soffice() is None:
                raise RecoursError(
                    f"le modèle Word {word} a été modifié, pas le modèle {html} : le PDF ne "
                    "montrerait pas vos modifications. Installez LibreOffice (le PDF est alors "
                    f"produit depuis le document Word), reportez vos modifications dans {html}, "
                    "ou générez seulement le Word (--formats docx). Rien n'a été écrit."
                )
            result.avertissements.append(
                f"PDF produit depuis votre modèle Word {word} (par LibreOffice), puisque "
                f"{html} n'a pas été modifié."
            )
        elif renderers.customised(kind, "docx") and renderers.customised(kind, "pdf"):
            result.avertissements.append(
                f"Vos modèles {word} et {html} ont été modifiés séparément : le Word suit le "
                f"premier, le PDF le second ; vérifiez qu'ils disent la même chose."
            )


def _render_pdf(
    renderers: Renderers, kind: str, ctx: Context, meta: dict[str, Any]
) -> tuple[bytes, Path]:
    from recours.documents.metadata import Metadonnees

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
    base: Path,
) -> None:
    """A folder ready for Télérecours: the requête, one PDF per pièce, the inventory.

    Each pièce is named after its inventory number and title (CJA R.414-5); the user's
    own files (checked beforehand) are copied under that name.
    """
    from recours.documents.metadata import Metadonnees
    from recours.documents.pieces import resolve

    pdf = renderers.pdf()
    atomic_write_bytes(folder / "requete.pdf", requete_pdf, force=True)
    result.fichiers.append(WrittenFile(folder / "requete.pdf", "requete", "pdf", None))
    for piece in ctx.pieces:
        path = folder / piece.fichier
        if piece.generee:
            data = pdf.render(
                TEMPLATE_FILES[("montants", "pdf")],
                ctx,
                Metadonnees(**{**meta, "titre": piece.intitule}),
            )
            atomic_write_bytes(path, data, force=True)
            result.fichiers.append(WrittenFile(path, "piece", "pdf", None))
        elif piece.source:
            atomic_write_bytes(path, resolve(piece.source, base).read_bytes(), force=True)
            result.fichiers.append(WrittenFile(path, "piece", "pdf", None))
        else:
            result.a_fournir.append(str(path))
    inventory = pdf.render(
        TEMPLATE_FILES[("inventaire", "pdf")],
        ctx,
        Metadonnees(**{**meta, "titre": "Inventaire des pièces"}),
    )
    atomic_write_bytes(folder / "inventaire.pdf", inventory, force=True)
    result.fichiers.append(WrittenFile(folder / "inventaire.pdf", "inventaire", "pdf", None))


def _write_archive(folder: Path, result: GenerationResult) -> None:
    """The Télérecours folder as a .zip next to it (to send to a lawyer)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            # Fixed timestamps: the same folder gives the same archive.
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", (2026, 1, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    target = folder.with_name(folder.name + ".zip")
    atomic_write_bytes(target, buffer.getvalue(), force=True)
    result.fichiers.append(WrittenFile(target, "archive", "zip", None))
