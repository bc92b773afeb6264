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

from recours import formatting as fmt
from recours.documents.context import (
    GRACIEUX,
    REQUETE,
    Context,
    gracieux_context,
    gracieux_decisions,
    requete_context,
)
from recours.documents.sandbox import TEMPLATE_FILES, bundled_templates_dir
from recours.dossier.models import Dossier
from recours.errors import FileExistsRefusedError, RecoursError
from recours.files import atomic_write_bytes, ensure_dir, slug
from recours.law.deadlines import Deadline, DeadlineReport
from recours.law.procedure import decision_deadlines, lawyer_rule

if TYPE_CHECKING:
    from recours.documents.render_docx import DocxRenderer
    from recours.documents.render_pdf import PdfRenderer

DOCUMENTS = ("gracieux", "requete")
FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class PlannedDocument:
    kind: str  # "gracieux" | "requete"
    cle: str  # authority id (gracieux) or decision index (requete)
    libelle: str
    stem: str


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    document: str
    format: str
    modele: Path | None


@dataclass
class GenerationResult:
    fichiers: list[WrittenFile] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    refus: list[str] = field(default_factory=list)
    a_fournir: list[str] = field(default_factory=list)
    prochaine_echeance: tuple[str, Deadline] | None = None


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


def _unique_stem(stem: str, distinct: str, used: set[str]) -> str:
    """``stem``, or ``stem_<distinct>`` when a document of the run already has that name.

    Slugs are cut at a word boundary, so two long names sharing their beginning give the
    same slug: without this, the second document would silently replace the first.
    """
    candidate = stem if stem not in used else f"{stem}_{slug(distinct, 40)}"
    counter = 2
    while candidate in used:
        candidate = f"{stem}_{counter}"
        counter += 1
    used.add(candidate)
    return candidate


def plan_documents(dossier: Dossier, documents: Iterable[str] | None) -> list[PlannedDocument]:
    """The documents a dossier calls for.

    Without an explicit list: a recours gracieux to each authority whose decisions have not
    been contested yet, and a requête against each decision whose recours gracieux was sent.
    """
    wanted = set(documents) if documents is not None else None
    planned: list[PlannedDocument] = []
    used: set[str] = set()
    for autorite in dossier.autorites:
        decisions = gracieux_decisions(dossier, autorite.id)
        if not decisions:
            continue
        pending = [d for d in decisions if d.recours_gracieux is None]
        if (wanted is None and pending) or (wanted is not None and "gracieux" in wanted):
            planned.append(
                PlannedDocument(
                    "gracieux",
                    autorite.id,
                    f"recours gracieux — {autorite.nom}",
                    _unique_stem(f"recours-gracieux_{slug(autorite.nom)}", autorite.id, used),
                )
            )
    for index, decision in enumerate(dossier.decisions):
        if (wanted is None and decision.recours_gracieux is not None) or (
            wanted is not None and "requete" in wanted
        ):
            autorite = dossier.autorite(decision.autorite)
            ident = decision.id or decision.numero or f"decision-{index + 1}"
            planned.append(
                PlannedDocument(
                    "requete",
                    str(index),
                    f"requête — {autorite.nom} ({ident})",
                    _unique_stem(
                        f"requete_{slug(ident, 40)}_{slug(autorite.nom, 40)}",
                        f"decision-{index + 1}",
                        used,
                    ),
                )
            )
    return planned


def _deadline_reports(dossier: Dossier, doc: PlannedDocument, today: date) -> list[DeadlineReport]:
    if doc.kind == "gracieux":
        return [decision_deadlines(dossier, d, today) for d in gracieux_decisions(dossier, doc.cle)]
    return [decision_deadlines(dossier, dossier.decisions[int(doc.cle)], today)]


def _check_deadlines(
    dossier: Dossier, doc: PlannedDocument, today: date, force: bool, result: GenerationResult
) -> bool:
    """Whether the document may be generated; records refusals and warnings."""
    reports = _deadline_reports(dossier, doc, today)
    if doc.kind == "gracieux":
        sent = [
            d.recours_gracieux for d in gracieux_decisions(dossier, doc.cle) if d.recours_gracieux
        ]
        if sent:
            message = (
                f"{doc.libelle} : un recours gracieux a déjà été envoyé le "
                f"{fmt.date_longue(sent[0].date_envoi)} ; un second recours gracieux "
                "n'interromprait pas le délai de recours contentieux."
            )
            if not force:
                result.refus.append(message + " Utilisez --force pour le générer quand même.")
                return False
            result.avertissements.append(message + " (généré avec --force)")
        expired = [r for r in reports if r.recours_gracieux.statut == "expire"]
        if expired and len(expired) == len(reports):
            limit = fmt.date_longue(max(r.recours_gracieux.date_limite for r in expired))
            possible = [p for r in expired for p in r.possibilites]
            message = (
                f"{doc.libelle} : le délai de recours gracieux a expiré ({limit}). "
                + ("Restent possibles : " + " ".join(dict.fromkeys(possible)) if possible else "")
            ).strip()
            if not force:
                result.refus.append(message + " Utilisez --force pour le générer quand même.")
                return False
            result.avertissements.append(message + " (généré avec --force)")
        elif expired:
            result.avertissements.append(
                f"{doc.libelle} : le délai de recours gracieux a expiré pour "
                f"{len(expired)} décision(s) sur {len(reports)}."
            )
    else:
        report = reports[0]
        if report.recours_contentieux.statut == "expire":
            result.avertissements.append(
                f"{doc.libelle} : le délai de recours contentieux a expiré le "
                f"{fmt.date_longue(report.recours_contentieux.date_limite)} ; la recevabilité "
                "de la requête est compromise. " + " ".join(report.possibilites)
            )
    for report in reports:
        for warning in report.avertissements:
            if warning not in result.avertissements:
                result.avertissements.append(warning)
    return True


def build_context(dossier: Dossier, doc: PlannedDocument, today: date) -> Context:
    if doc.kind == "gracieux":
        return gracieux_context(dossier, doc.cle, today)
    return requete_context(dossier, int(doc.cle), today)


def _metadata(dossier: Dossier, ctx: Context, doc: PlannedDocument, today: date) -> dict[str, Any]:
    kind = GRACIEUX if doc.kind == "gracieux" else REQUETE
    return {
        "titre": f"{kind.titre} — {dossier.organisme.raison_sociale} — {ctx['autorite']['nom']}",
        "auteur": dossier.organisme.raison_sociale,
        "sujet": "Financement de l'accord du 4 juin 2024 (« Ségur pour tous »)",
        "date": dossier.date_document or today,
    }


def _targets(
    dossier: Dossier,
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
    contexts: dict[PlannedDocument, Context],
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
    for doc, ctx in contexts.items():
        if doc.kind != "requete":
            continue
        for piece in ctx["pieces"]:
            if piece["source"]:
                problem = check_pdf(resolve(piece["source"], base), max_mo)
                if problem:
                    problems.append(f"pièce n° {piece['numero']} ({piece['intitule']}) : {problem}")
            elif piece["obligatoire"]:
                missing.append(f"{doc.libelle} : pièce n° {piece['numero']} ({piece['intitule']})")
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
    bordereau: bool = False,
    modeles: Path | None = None,
    archive: bool = False,
    dossier_dir: Path | None = None,
) -> GenerationResult:
    """Generate the dossier's documents into `sortie`; never overwrite without `force`.

    With `bordereau`, a Télérecours folder per requête (`archive`: also as a .zip); the
    user's pièces are read relative to `dossier_dir` (default: the current folder).
    """
    bordereau = bordereau or archive
    result = GenerationResult()
    planned = plan_documents(dossier, documents)
    if not planned:
        raise RecoursError(
            "aucun document à générer : précisez --documents gracieux,requete "
            "(un recours gracieux a peut-être déjà été envoyé pour chaque décision)"
        )
    from recours.law.checks import dossier_warnings

    result.avertissements += dossier_warnings(dossier, today)
    allowed = [doc for doc in planned if _check_deadlines(dossier, doc, today, force, result)]
    contexts = {doc: build_context(dossier, doc, today) for doc in allowed}
    renderers = renderers_for(modeles)
    if "pdf" in formats or bordereau:
        _check_pdf_sources(renderers, allowed, result)
    if bordereau:
        _check_pieces(dossier, contexts, dossier_dir or Path.cwd(), result)
    existing = [
        p for p in _targets(dossier, allowed, formats, sortie, bordereau, archive) if p.exists()
    ]
    if existing and not force:
        raise FileExistsRefusedError(
            "fichier(s) déjà présent(s), rien n'a été écrit (utilisez --force pour remplacer) : "
            + ", ".join(str(p) for p in existing)
        )
    ensure_dir(sortie)
    for doc in allowed:
        ctx = contexts[doc]
        meta = _metadata(dossier, ctx, doc, today)
        from_word = renderers.pdf_source(doc.kind) == "docx"
        docx_bytes = b""
        if "docx" in formats or (from_word and ("pdf" in formats or bordereau)):
            renderer, template = renderers.docx(doc.kind)
            from recours.documents.render_docx import Proprietes

            docx_bytes = renderer.render(
                ctx, Proprietes(meta["titre"], meta["auteur"], meta["sujet"], meta["date"])
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
        uncertain = [m["intitule"] for m in ctx["moyens"] if m["a_verifier"]]
        if uncertain:
            result.avertissements.append(
                f"{doc.libelle} : moyens dont le fondement est marqué « à vérifier » dans le "
                f"référentiel, à relire avant envoi : {' ; '.join(uncertain)}."
            )
        if doc.kind == "requete":
            rule = lawyer_rule(dossier, dossier.decisions[int(doc.cle)])
            advice = " ".join(rule.explication.split())
            if ctx["avocat"]["present"]:
                advice = "Avocat indiqué dans le dossier. " + advice
            note = f"{doc.libelle} : {advice}"
            if ctx["tribunal"]["avertissement"]:
                note += " " + ctx["tribunal"]["avertissement"]
            result.avertissements.append(note)
    if ("pdf" in formats or bordereau) and allowed:
        from recours.documents.render_pdf import harfbuzz_subset_available

        if not harfbuzz_subset_available():
            result.avertissements.append(
                "libharfbuzz-subset est absente : les PDF sont environ 2,4 fois plus lents à "
                "produire (Debian/Ubuntu : apt-get install libharfbuzz-subset0 ; voir recours diagnostic)."
            )
    result.prochaine_echeance = next_deadline(dossier, today)
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
    base: Path,
) -> None:
    """A folder ready for Télérecours: the requête, one PDF per pièce, the inventory.

    Each pièce is named after its inventory number and title (CJA R.414-5); the user's
    own files (checked beforehand) are copied under that name.
    """
    from recours.documents.pieces import resolve
    from recours.documents.render_pdf import Metadonnees

    pdf = renderers.pdf()
    atomic_write_bytes(folder / "requete.pdf", requete_pdf, force=True)
    result.fichiers.append(WrittenFile(folder / "requete.pdf", "requete", "pdf", None))
    for piece in ctx["pieces"]:
        path = folder / piece["fichier"]
        if piece["generee"]:
            data = pdf.render(
                TEMPLATE_FILES[("montants", "pdf")],
                ctx,
                Metadonnees(**{**meta, "titre": piece["intitule"]}),
            )
            atomic_write_bytes(path, data, force=True)
            result.fichiers.append(WrittenFile(path, "piece", "pdf", None))
        elif piece["source"]:
            atomic_write_bytes(path, resolve(piece["source"], base).read_bytes(), force=True)
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


def next_deadline(dossier: Dossier, today: date) -> tuple[str, Deadline] | None:
    """The earliest deadline still open among the dossier's decisions, with what it is for."""
    from recours.law.deadlines import next_deadline as next_of

    best: tuple[str, Deadline] | None = None
    for index, decision in enumerate(dossier.decisions):
        report = decision_deadlines(dossier, decision, today)
        found = next_of(report)
        if found is None:
            continue
        what = (
            "recours gracieux"
            if found is report.recours_gracieux
            else "requête au tribunal administratif"
        )
        label = f"{what} — {dossier.autorite(decision.autorite).nom} ({dossier.decision_id(index)})"
        if best is None or found.date_limite < best[1].date_limite:
            best = (label, found)
    return best
