"""Batch generation for federations (`recours lot generer`).

The parent process streams the input and groups rows by organisme (a cheap first pass
counts the rows of each organisme, so a group is released as soon as its last row is
read: memory stays flat when the rows of an organisme are contiguous, and unsorted
input still works). Each group is a job: a worker builds the dossier, validates it with
`validate_dossier`, and writes the letters with `documents.generate`, exactly as for a
single dossier. Workers load the templates once (`renderers_for`).

Resumption: each organisme folder gets a manifest (`.recours-lot.json`), written
atomically before rendering (state "en_cours", the files about to be written) and after
(state "termine", the files written and a fingerprint of the validated dossier, the
options and the template files). A complete folder with the same fingerprint is skipped;
an interrupted one is redone; a folder whose input changed, or files the batch did not
write, are left alone without --force. With --force every dossier is regenerated.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recours import __version__
from recours.batch.input import (
    RawRow,
    TableSource,
    open_table,
    organisme_key,
    read_dossier_list,
)
from recours.batch.report import (
    OUTPUT_FILES,
    STATUT_A_JOUR,
    STATUT_ERREUR,
    STATUT_GENERE,
    STATUT_REFUSE,
    Contribution,
    ReportLine,
    ReportWriter,
    Synthesis,
    write_synthesis,
    write_zip,
)
from recours.batch.rows import build_group, to_field_problems
from recours.errors import FieldProblem, RecoursError
from recours.files import atomic_write_text, ensure_dir, slug

MANIFEST = ".recours-lot.json"
OUTPUT_MARKER = ".recours-lot-sortie.json"
_DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
KEPT_PROBLEMS = 500
"""Problems kept in memory for the terminal; the report has all of them."""


@dataclass(frozen=True)
class LotOptions:
    """What every job needs; sent once to each worker."""

    sortie: Path
    today: date
    documents: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ("docx", "pdf")
    force: bool = False
    modeles: Path | None = None
    source: str = ""
    sheet: str | None = None
    letters: tuple[tuple[str, str], ...] = ()


@dataclass
class GroupJob:
    """One organisme: its rows (spreadsheet) or its dossier data (YAML/JSON list)."""

    index: int
    rows: list[RawRow] = field(default_factory=list)
    data: Any = None
    lines: dict[tuple[str | int, ...], int] | None = None


@dataclass
class GroupResult:
    index: int
    lignes: list[ReportLine] = field(default_factory=list)
    contribution: Contribution = field(default_factory=Contribution)
    etablissements: int = 0
    lignes_en_erreur: int = 0
    generes: int = 0
    a_jour: int = 0
    refuses: int = 0
    erreurs_organisme: int = 0
    fichiers: int = 0
    problemes: list[FieldProblem] = field(default_factory=list)


@dataclass
class LotSummary:
    """Totals of a batch run, for the CLI summary and the exit code."""

    sortie: Path
    lignes: int = 0
    dossiers: int = 0
    lignes_en_erreur: int = 0
    generes: int = 0
    a_jour: int = 0
    refuses: int = 0
    erreurs_organisme: int = 0
    fichiers: int = 0
    problemes: list[FieldProblem] = field(default_factory=list)
    sorties: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lignes_en_erreur or self.refuses or self.erreurs_organisme)


# --------------------------------------------------------------------------- worker


@functools.cache
def _templates_fingerprint(modeles: Path | None) -> str:
    """Hash of every template file the letters may use (custom folder and bundled)."""
    from recours.batch.report import SYNTHESIS_HTML
    from recours.documents.generate import renderers_for

    digest = hashlib.sha256(__version__.encode())
    for folder in renderers_for(modeles).search_path:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != SYNTHESIS_HTML:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _fingerprint(dossier_json: str, options: LotOptions) -> str:
    # Today's date is left out: a letter dated the day of its first generation stays valid
    # when a batch is resumed the next day (use --force to redate).
    digest = hashlib.sha256(dossier_json.encode())
    digest.update(json.dumps([options.documents, options.formats]).encode())
    digest.update(_templates_fingerprint(options.modeles).encode())
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), True)


def warm_up(options: LotOptions) -> None:
    """Load and compile the templates once in this process."""
    from recours.documents.generate import DOCUMENTS, renderers_for

    renderers = renderers_for(options.modeles)
    if "docx" in options.formats:
        for kind in options.documents or DOCUMENTS:
            renderers.docx(kind)
    if "pdf" in options.formats:
        renderers.pdf()
    _templates_fingerprint(options.modeles)


_WORKER_OPTIONS: LotOptions | None = None


def _init_worker(options: LotOptions) -> None:
    global _WORKER_OPTIONS
    # Ctrl-C reaches the whole process group: the parent stops submitting and lets the
    # running jobs finish, so a worker never dies between a document and its manifest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_OPTIONS = options
    warm_up(options)


def _run_in_worker(job: GroupJob) -> GroupResult:
    assert _WORKER_OPTIONS is not None
    result = process_group(job, _WORKER_OPTIONS)
    # docxtpl leaves garbage in reference cycles; collecting keeps each worker flat.
    gc.collect()
    return result


def _row_label(values: dict[str, str]) -> tuple[str, str, str]:
    name = values.get("organisme.raison_sociale", "")
    siren = values.get("organisme.siren") or values.get("organisme.siret", "")[:9]
    etab = values.get("etablissement.nom", "")
    finess = values.get("etablissement.finess")
    return name, siren, f"{etab} ({finess})" if finess else etab


def _error_lines(job: GroupJob, problems: list[FieldProblem]) -> list[ReportLine]:
    labels = {row.number: _row_label(row.values) for row in job.rows}
    lines = []
    for p in problems:
        name, siren, etab = labels.get(p.ligne or 0, ("", "", ""))
        if job.data is not None and isinstance(job.data, dict):
            organisme = job.data.get("organisme")
            if isinstance(organisme, dict):
                name = str(organisme.get("raison_sociale", ""))
                siren = str(organisme.get("siren") or organisme.get("siret") or "")
        lines.append(
            ReportLine(
                organisme=name,
                siren=siren,
                etablissements=etab,
                statut=STATUT_ERREUR,
                feuille=p.feuille or "",
                ligne=p.ligne,
                colonne=p.colonne or "",
                champ=p.chemin,
                message=p.message,
            )
        )
    return lines


def process_group(job: GroupJob, options: LotOptions) -> GroupResult:
    """Validate one organisme's rows and write its letters (or skip them if up to date)."""
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    result = GroupResult(job.index)
    if job.data is not None or not job.rows:
        try:
            dossier = validate_dossier(
                job.data, options.source, job.lines, aujourdhui=options.today
            )
        except DossierInvalidError as exc:
            result.problemes = exc.problemes
            result.lignes = _error_lines(job, exc.problemes)
            result.lignes_en_erreur = 1
            return result
    else:
        outcome = build_group(job.rows, options.source, options.today)
        result.problemes = to_field_problems(outcome.problems, options.sheet, dict(options.letters))
        result.lignes = _error_lines(job, result.problemes)
        result.lignes_en_erreur = len({p.row for p in outcome.problems})
        if outcome.dossier is None:
            return result
        dossier = outcome.dossier
    result.etablissements = len(dossier.etablissements)
    _generate_dossier(dossier, options, result)
    return result


def _generate_dossier(dossier: Any, options: LotOptions, result: GroupResult) -> None:
    from recours.documents.generate import generate
    from recours.errors import RecoursError
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    organisme = dossier.organisme
    folder = options.sortie / f"{slug(organisme.raison_sociale, 50)}_{organisme.siren_effectif}"
    analysis = analyse(dossier, options.today, load_referentiel())
    amounts = analysis.montants
    result.contribution = _contribution(dossier, amounts)
    planned = analysis.plan(options.documents)
    fingerprint = _fingerprint(dossier.model_dump_json(by_alias=True), options)
    manifest = _read_manifest(folder)
    outcome: dict[str, dict[str, Any]] = {}

    def error(message: str) -> None:
        result.erreurs_organisme += 1
        result.lignes.append(
            ReportLine(
                organisme=organisme.raison_sociale,
                siren=organisme.siren_effectif,
                statut=STATUT_ERREUR,
                fichiers=folder.name,
                message=message,
            )
        )

    if (
        not options.force
        and manifest is not None
        and manifest.get("etat") == "termine"
        and manifest.get("empreinte") == fingerprint
        and all((folder / name).is_file() for name in manifest.get("fichiers", []))
    ):
        outcome = manifest.get("documents", {})
        for entry in outcome.values():
            if entry["statut"] == STATUT_GENERE:
                entry["statut"] = STATUT_A_JOUR
    else:
        if (
            manifest is not None
            and manifest.get("etat") == "termine"
            and manifest.get("empreinte") != fingerprint
            and not options.force
        ):
            error(
                "les données ou les modèles ont changé depuis la dernière génération de ce "
                "dossier : rien n'a été remplacé (utilisez --force pour régénérer)"
            )
            return
        targets = [f"{doc.stem}.{fmt}" for doc in planned for fmt in options.formats]
        ours = set()
        if manifest is not None:
            ours = set(manifest.get("fichiers", [])) | set(manifest.get("cibles", []))
        foreign = [name for name in targets if (folder / name).exists() and name not in ours]
        if foreign and not options.force:
            error(
                "fichier(s) déjà présent(s), non écrit(s) par ce lot : "
                + ", ".join(foreign)
                + " (utilisez --force pour les remplacer)"
            )
            return
        for name in ours:
            # Files of an interrupted or outdated run of this batch: redone from scratch.
            if "/" not in name and not name.startswith("."):
                (folder / name).unlink(missing_ok=True)
        ensure_dir(folder)
        _write_manifest(folder, {"version": 1, "etat": "en_cours", "cibles": targets})
        try:
            generated = generate(
                dossier,
                sortie=folder,
                today=options.today,
                documents=options.documents,
                formats=options.formats,
                force=options.force,
                hors_delai=options.force,
                modeles=options.modeles,
                analysis=analysis,
            )
        except RecoursError as exc:
            error(str(exc))
            return
        written: list[str] = []
        for doc_result in generated.documents:
            files = [f.path.name for f in doc_result.fichiers]
            outcome[doc_result.document.stem] = {
                "fichiers": files,
                "statut": STATUT_GENERE if doc_result.statut == "genere" else STATUT_REFUSE,
                "message": " ".join(doc_result.messages),
            }
            written += files
        _write_manifest(
            folder,
            {
                "version": 1,
                "etat": "termine",
                "empreinte": fingerprint,
                "fichiers": written,
                "documents": outcome,
            },
        )
    for line in _letter_lines(analysis, planned):
        doc_outcome = outcome.get(line.fichiers, {})
        files = doc_outcome.get("fichiers", [])
        line.fichiers = " ; ".join(f"{folder.name}/{name}" for name in files)
        line.statut = doc_outcome.get("statut", STATUT_ERREUR)
        line.message = doc_outcome.get("message", "")
        result.lignes.append(line)
        result.fichiers += len(files) if line.statut == STATUT_GENERE else 0
        result.generes += line.statut == STATUT_GENERE
        result.a_jour += line.statut == STATUT_A_JOUR
        result.refuses += line.statut == STATUT_REFUSE


_DOCUMENT_LABELS = {
    "gracieux": "recours gracieux",
    "requete": "requête",
    "demande_indemnitaire": "demande indemnitaire préalable",
    "mise_en_demeure": "mise en demeure de payer",
}


def _letter_lines(analysis: Any, planned: Any) -> list[ReportLine]:
    """One line per planned letter, with its établissements, amounts and deadlines.

    The `fichiers` field temporarily holds the document stem (filled by the caller).
    """
    from recours.cli.report import deadline_status

    dossier = analysis.dossier
    lines = []
    for doc in planned:
        decisions = [analysis.decision(i) for i in doc.decisions]
        document = _DOCUMENT_LABELS.get(doc.kind, "requête")
        autorite = dossier.autorite(doc.autorite)
        etabs: dict[str, Any] = {}
        for d in decisions:
            for etab in d.etablissements:
                etabs.setdefault(etab.finess, etab)
        claimed = {line.finess for line in doc.claim.lignes}
        for etab in dossier.etablissements:
            if not decisions and etab.finess in claimed:
                etabs.setdefault(etab.finess, etab)
        du = doc.claim.du
        recu = doc.claim.recu
        # A demande indemnitaire or a mise en demeure has no decision, hence no deadline.
        gracieux = min(
            (d.delais.recours_gracieux for d in decisions),
            key=lambda x: x.date_limite,
            default=None,
        )
        contentieux = min(
            (d.delais.recours_contentieux for d in decisions),
            key=lambda x: x.date_limite,
            default=None,
        )
        lines.append(
            ReportLine(
                organisme=dossier.organisme.raison_sociale,
                siren=dossier.organisme.siren_effectif,
                autorite=autorite.nom,
                document=document,
                etablissements=" ; ".join(f"{e.nom} ({e.finess})" for e in etabs.values()),
                nb_etablissements=len(etabs),
                du=du,
                recu=recu,
                ecart=doc.claim.reclame,
                echeance_gracieux=gracieux.date_limite if gracieux else None,
                statut_gracieux=deadline_status(gracieux) if gracieux else "",
                echeance_contentieux=contentieux.date_limite if contentieux else None,
                statut_contentieux=deadline_status(contentieux) if contentieux else "",
                fichiers=doc.stem,
            )
        )
    return lines


def _contribution(dossier: Any, amounts: Any) -> Contribution:
    from recours.law.referentiel import load_referentiel

    types = load_referentiel().autorites
    contribution = Contribution()
    for autorite in dossier.autorites:
        totals = amounts.par_autorite.get(autorite.id)
        funded = [
            e for e in dossier.etablissements if autorite.id in {f.autorite for f in e.financeurs}
        ]
        contribution.autorites.append(
            (
                autorite.nom,
                types[autorite.type].libelle,
                totals.du if totals else Decimal("0.00"),
                totals.recu if totals else Decimal("0.00"),
                len(funded),
            )
        )
    departements: dict[str, list[Any]] = {}
    by_finess = {e.finess: e.departement for e in dossier.etablissements}
    for etab in dossier.etablissements:
        departements.setdefault(etab.departement, [Decimal("0.00"), Decimal("0.00"), 0])[2] += 1
    for ligne in amounts.lignes:
        entry = departements[by_finess[ligne.finess]]
        for part in ligne.parts:
            entry[0] += part.du
            entry[1] += part.recu
    contribution.departements = [
        (code, du, recu, count) for code, (du, recu, count) in sorted(departements.items())
    ]
    return contribution


# --------------------------------------------------------------------------- parent


def _table_jobs(table: TableSource) -> tuple[int, Iterator[GroupJob]]:
    """Total rows and the groups of rows per organisme, released when complete."""
    counts = Counter(organisme_key(row.values) for row in table.rows(keys_only=True))
    counts.pop(None, None)
    total = sum(counts.values())

    def jobs() -> Iterator[GroupJob]:
        buffers: dict[str, list[RawRow]] = {}
        index = 0
        for row in table.rows():
            key = organisme_key(row.values)
            if key is None:
                row.problems.append(
                    ("organisme.siren", "indiquez le SIREN ou le SIRET de l'organisme")
                )
                yield GroupJob(index, [row])
                index += 1
                continue
            group = buffers.setdefault(key, [])
            group.append(row)
            if len(group) >= counts.get(key, 0):
                yield GroupJob(index, buffers.pop(key))
                index += 1
        for group in buffers.values():  # the file changed between the two passes
            yield GroupJob(index, group)
            index += 1

    return total, jobs()


def _list_jobs(path: Path) -> tuple[int, Iterator[GroupJob]]:
    items, lines = read_dossier_list(path)

    def jobs() -> Iterator[GroupJob]:
        for i, item in enumerate(items):
            sub = {loc[1:]: n for loc, n in lines.items() if loc[:1] == (i,)}
            yield GroupJob(i, data=item, lines=sub)

    return len(items), jobs()


def _results(
    jobs_iter: Iterator[GroupJob], options: LotOptions, jobs: int
) -> Iterator[GroupResult]:
    """Results in input order; at most a few jobs in flight, so memory stays bounded."""
    if jobs <= 1:
        warm_up(options)
        for job in jobs_iter:
            yield process_group(job, options)
            gc.collect()
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(options,)
    )
    pending: dict[Future[GroupResult], int] = {}
    ready: dict[int, GroupResult] = {}
    next_index = 0
    window = jobs * 4
    try:
        exhausted = False
        while not exhausted or pending:
            # Results wait in `ready` for a slow earlier job: they count in the window too.
            while not exhausted and len(pending) + len(ready) < window:
                next_job = next(jobs_iter, None)
                if next_job is None:
                    exhausted = True
                else:
                    pending[pool.submit(_run_in_worker, next_job)] = next_job.index
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.pop(future)
                finished = future.result()
                ready[finished.index] = finished
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1
        pool.shutdown(wait=True)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _check_output(sortie: Path, force: bool) -> None:
    """Batch files are rewritten only in a folder this batch created (or with --force)."""
    if (sortie / OUTPUT_MARKER).exists() or force:
        return
    existing = [name for name in OUTPUT_FILES if (sortie / name).exists()]
    if existing:
        raise RecoursError(
            f"{sortie} contient déjà {', '.join(existing)}, qui ne vient pas de « recours lot » : "
            "rien n'a été écrit (choisissez un autre --sortie ou utilisez --force)"
        )


ProgressCallback = Callable[[GroupResult, int], None]


def run_lot(
    source: Path,
    options: LotOptions,
    jobs: int = 1,
    zip_output: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[GroupResult], None] | None = None,
) -> LotSummary:
    """Generate the letters of every organisme of a spreadsheet, CSV or dossier list."""
    if source.suffix.lower() in _DOSSIER_SUFFIXES:
        total, jobs_iter = _list_jobs(source)
        options = _replace(options, source=source.name)
    else:
        table = open_table(source)
        options = _replace(
            options,
            source=source.name,
            sheet=table.sheet,
            letters=tuple(table.layout.letters.items()),
        )
        total, jobs_iter = _table_jobs(table)
    sortie = ensure_dir(options.sortie)
    _check_output(sortie, options.force)
    atomic_write_text(
        sortie / OUTPUT_MARKER, json.dumps({"recours": __version__, "source": source.name}), True
    )
    if on_start is not None:
        on_start(total)
    summary = LotSummary(sortie)
    synthesis = Synthesis()
    writer = ReportWriter(sortie)
    try:
        for result in _results(jobs_iter, options, jobs):
            writer.add(result.lignes)
            synthesis.add(result.contribution)
            synthesis.etablissements_en_erreur += result.lignes_en_erreur
            summary.dossiers += 1
            summary.lignes += result.etablissements + result.lignes_en_erreur
            summary.lignes_en_erreur += result.lignes_en_erreur
            summary.generes += result.generes
            summary.a_jour += result.a_jour
            summary.refuses += result.refuses
            summary.erreurs_organisme += result.erreurs_organisme
            summary.fichiers += result.fichiers
            summary.problemes += result.problemes[: KEPT_PROBLEMS - len(summary.problemes)]
            if on_result is not None:
                on_result(result)
        writer.close(synthesis)
    except BaseException:
        writer.abort()
        raise
    summary.sorties += [sortie / "rapport.xlsx", sortie / "rapport.csv"]
    summary.sorties += write_synthesis(
        sortie, synthesis, options.today, source.name, "pdf" in options.formats, options.modeles
    )
    if zip_output:
        summary.sorties.append(write_zip(sortie))
    return summary


def _replace(options: LotOptions, **changes: Any) -> LotOptions:
    from dataclasses import replace

    return replace(options, **changes)
