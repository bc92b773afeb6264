"""Batch generation for federations (`recours lot generer`).

The parent process streams the input and groups rows by organisme (a cheap first pass
counts the rows of each organisme, so a group is released as soon as its last row is
read: memory stays flat when the rows of an organisme are contiguous, and unsorted
input still works). Each group is a job: a worker builds the dossier, validates it with
`validate_dossier`, and writes the letters with `documents.generate`, exactly as for a
single dossier. Workers load the templates once (`renderers_for`).

Safety: a row in error holds back every letter of its organisme (an incomplete letter
would claim less than is due, and a second recours gracieux would not interrupt the
deadline again): the report lists them as « retenu » with the rows to fix.

Resumption: each organisme folder gets a manifest (`.recours-lot.json`), written
atomically before rendering (state "en_cours": the letters kept and the files about to
be written) and after (state "termine"). Each letter has its own fingerprint (the parts
of the dossier it is built from, the options and the template files): an unchanged
letter is skipped, a changed one is regenerated and its previous files are kept under a
versioned name (`…_version-1.docx`), files of an interrupted run are redone, files the
batch did not write are left alone without --force. With --force every letter is
regenerated in place. Out-of-time letters need --hors-delai, never --force.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, fields
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
    STATUT_RETENU,
    Contribution,
    ReportLine,
    ReportWriter,
    Synthesis,
    write_synthesis,
    write_zip,
)
from recours.batch.rows import build_group, to_field_problems
from recours.errors import FieldProblem, RecoursError, UsageError
from recours.files import atomic_write_text, ensure_dir, slug

MANIFEST = ".recours-lot.json"
OUTPUT_MARKER = ".recours-lot-sortie.json"
_DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
KEPT_PROBLEMS = 500
"""Problems kept in memory for the terminal; the report has all of them."""
MANIFEST_VERSION = 2
JOBS_PER_CORE = 2
"""--jobs is bounded by this many processes per core: more only costs memory."""


def max_jobs() -> int:
    return JOBS_PER_CORE * (os.cpu_count() or 1)


@dataclass(frozen=True)
class LotOptions:
    """What every job needs; sent once to each worker."""

    sortie: Path
    today: date
    documents: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ("docx", "pdf")
    force: bool = False
    hors_delai: bool = False
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
    folder_suffix: str = ""  # "_2", "_3"... for an organisme met again in the same input
    source: str | None = None  # the dossier file, for a folder of dossiers
    problems: list[FieldProblem] = field(default_factory=list)  # the file could not be read


@dataclass(kw_only=True)
class Counts:
    """What one dossier, or the whole batch, produced and refused."""

    lignes_en_erreur: int = 0
    generes: int = 0
    a_jour: int = 0
    refuses: int = 0
    retenus: int = 0
    erreurs_organisme: int = 0
    fichiers: int = 0
    problemes: list[FieldProblem] = field(default_factory=list)
    hors_delai: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        """Add another count; the lists keep their first KEPT_PROBLEMS items."""
        for f in fields(Counts):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, list):
                mine += theirs[: KEPT_PROBLEMS - len(mine)]
            else:
                setattr(self, f.name, mine + theirs)


@dataclass(kw_only=True)
class GroupResult(Counts):
    index: int
    lignes: list[ReportLine] = field(default_factory=list)
    contribution: Contribution = field(default_factory=Contribution)
    etablissements: int = 0
    etablissements_retenus: int = 0


@dataclass(kw_only=True)
class LotSummary(Counts):
    """Totals of a batch run, for the CLI summary and the exit code."""

    sortie: Path
    lignes: int = 0
    dossiers: int = 0
    sorties: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error anywhere: any row, letter or organisme in error makes the exit non-zero."""
        return not (self.lignes_en_erreur or self.refuses or self.retenus or self.erreurs_organisme)


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


def _document_fingerprint(dossier: Any, doc: Any, options: LotOptions) -> str:
    """Hash of what one letter is built from: the dossier's own fields, its authority, its
    decisions and the établissements they concern, the formats and the templates.

    Today's date is left out: a letter dated the day of its first generation stays valid
    when a batch is resumed the next day (use --force to redate). So is the journal: noting
    that a letter was sent does not change the letter.
    """
    decisions = [dossier.decisions[i] for i in doc.decisions]
    etabs: dict[str, Any] = {}
    for decision in decisions:
        for etab in dossier.etablissements_de(decision):
            etabs.setdefault(etab.finess, etab)
    # A demande indemnitaire or a mise en demeure has no decision: its claim lines say
    # which établissements and exercises it is built from.
    claimed = {line.finess for line in doc.claim.lignes}
    for etab in dossier.etablissements:
        if etab.finess in claimed:
            etabs.setdefault(etab.finess, etab)
    own = dossier.model_dump(
        mode="json",
        by_alias=True,
        exclude={"autorites", "etablissements", "decisions", "journal", "schema_"},
    )
    payload = {
        "dossier": own,
        "autorite": dossier.autorite(doc.autorite).model_dump(mode="json"),
        "claim": [[line.finess, line.annee, str(line.reclame)] for line in doc.claim.lignes],
        "decisions": [d.model_dump(mode="json") for d in decisions],
        "etablissements": [e.model_dump(mode="json") for e in etabs.values()],
        "document": [doc.kind, doc.stem],
        "formats": list(options.formats),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())
    digest.update(_templates_fingerprint(options.modeles).encode())
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    if (folder / MANIFEST).is_symlink():
        return None
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


def _exit_with_parent() -> None:
    """End this worker when the parent dies, even by kill -9 (it cannot tell us)."""
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only workers call this
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="recours-parent-watch", daemon=True).start()


def _init_worker(options: LotOptions) -> None:
    global _WORKER_OPTIONS
    # Ctrl-C reaches the whole process group: the parent stops submitting and lets the
    # running jobs finish, so a worker never dies between a document and its manifest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
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
    """Validate one organisme's rows and write its letters (or skip them if up to date).

    Any row in error holds back every letter of its organisme.
    """
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    result = GroupResult(index=job.index)
    source = job.source or options.source
    if job.problems:
        result.problemes = job.problems
        result.lignes = _error_lines(job, job.problems)
        result.lignes_en_erreur = 1
        return result
    if job.data is not None or not job.rows:
        try:
            dossier = validate_dossier(job.data, source, job.lines, aujourdhui=options.today)
        except DossierInvalidError as exc:
            problems = [_with_source(p, job.source) for p in exc.problemes]
            result.problemes = problems
            result.lignes = _error_lines(job, problems)
            result.lignes_en_erreur = 1
            return result
    else:
        outcome = build_group(job.rows, source, options.today)
        result.problemes = to_field_problems(outcome.problems, options.sheet, dict(options.letters))
        result.lignes = _error_lines(job, result.problemes)
        bad_rows = sorted({p.row for p in outcome.problems})
        result.lignes_en_erreur = len(bad_rows)
        if outcome.dossier is None:
            return result
        if bad_rows:
            _hold_back(outcome.dossier, job, bad_rows, options, result)
            return result
        dossier = outcome.dossier
    result.etablissements = len(dossier.etablissements)
    _generate_dossier(dossier, job.folder_suffix, options, result)
    return result


def _with_source(problem: FieldProblem, source: str | None) -> FieldProblem:
    """A problem of one file of a folder of dossiers names that file."""
    if source is None or problem.feuille:
        return problem
    return FieldProblem(
        problem.chemin,
        problem.message,
        ligne=problem.ligne,
        feuille=source,
        colonne=problem.colonne,
    )


def _hold_back(
    dossier: Any, job: GroupJob, bad_rows: list[int], options: LotOptions, result: GroupResult
) -> None:
    """Report every letter the organisme's rows feed as held back; write nothing."""
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    rows = ", ".join(str(r) for r in bad_rows)
    message = (
        f"retenu : ligne(s) {rows} de cet organisme en erreur. Aucun courrier de l'organisme "
        "n'est généré tant qu'elles ne sont pas corrigées : un courrier incomplet réclamerait "
        "moins que le dû, et un second recours gracieux n'interromprait pas le délai."
    )
    result.etablissements = len(dossier.etablissements)
    result.etablissements_retenus = len(dossier.etablissements)
    analysis = analyse(dossier, options.today, load_referentiel())
    planned = analysis.plan(options.documents)
    known = {a.nom for a in dossier.autorites}
    lines = _letter_lines(analysis, planned)
    # Authorities named only on the rows in error: their letter is held back too.
    for values in (row.values for row in job.rows if row.number in bad_rows):
        for slot in (1, 2):
            name = values.get(f"autorite{slot}.nom")
            if name and name not in known:
                known.add(name)
                lines.append(
                    ReportLine(
                        organisme=dossier.organisme.raison_sociale,
                        siren=dossier.organisme.siren_effectif,
                        autorite=name,
                        type_autorite=_type_label(values.get(f"autorite{slot}.type", "")),
                        document="recours gracieux",
                        destinataire=name,
                        etablissements=_row_label(values)[2],
                    )
                )
    for line in lines:
        # The amounts of the valid rows alone would understate the claim: left empty.
        line.du = line.recu = line.ecart = None
        line.fichiers = ""
        line.statut = STATUT_RETENU
        line.message = message
        result.lignes.append(line)
        result.retenus += 1


def _type_label(key: str) -> str:
    from recours.law.referentiel import load_referentiel

    types = {str(k): v.libelle for k, v in load_referentiel().autorites.items()}
    return types.get(key, key)


def _folder(dossier: Any, suffix: str, options: LotOptions) -> Path:
    organisme = dossier.organisme
    return (
        options.sortie / f"{slug(organisme.raison_sociale, 50)}_{organisme.siren_effectif}{suffix}"
    )


def _version_name(folder: Path, stem: str, formats: tuple[str, ...]) -> str:
    """The first free `<stem>_version-<n>` for every format."""
    n = 1
    while any((folder / f"{stem}_version-{n}.{fmt}").exists() for fmt in formats):
        n += 1
    return f"{stem}_version-{n}"


def _generate_dossier(dossier: Any, suffix: str, options: LotOptions, result: GroupResult) -> None:
    from recours.documents.generate import generate
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    organisme = dossier.organisme
    folder = _folder(dossier, suffix, options)
    analysis = analyse(dossier, options.today, load_referentiel())
    amounts = analysis.montants
    planned = analysis.plan(options.documents)

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

    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        error(
            f"{folder.name} est un lien symbolique ou un fichier, pas un dossier créé par ce lot : "
            "rien n'y a été écrit (supprimez-le ou choisissez un autre --sortie)"
        )
        return
    result.contribution = _contribution(dossier, amounts)
    prints = {doc.stem: _document_fingerprint(dossier, doc, options) for doc in planned}
    manifest = _read_manifest(folder) or {}
    # A version-1 manifest has no fingerprint per letter: its letters count as changed.
    previous: dict[str, dict[str, Any]] = manifest.get("documents", {})
    ours = set(manifest.get("fichiers", [])) | set(manifest.get("cibles", []))
    for known in previous.values():
        ours |= set(known.get("fichiers", []))

    outcome: dict[str, dict[str, Any]] = {}
    todo: list[Any] = []
    for doc in planned:
        entry = previous.get(doc.stem)
        if (
            not options.force
            and entry is not None
            and entry.get("statut") == STATUT_GENERE
            and entry.get("empreinte") == prints[doc.stem]
            and entry.get("fichiers")
            and all(_regular(folder / name) for name in entry["fichiers"])
        ):
            outcome[doc.stem] = {**entry, "statut": STATUT_A_JOUR}
        else:
            todo.append(doc)
    targets = {doc.stem: [f"{doc.stem}.{fmt}" for fmt in options.formats] for doc in todo}
    foreign = [
        name
        for names in targets.values()
        for name in names
        if (folder / name).exists() or (folder / name).is_symlink()
        if name not in ours
    ]
    if foreign and not options.force:
        error(
            "fichier(s) déjà présent(s), non écrit(s) par ce lot : "
            + ", ".join(foreign)
            + " (utilisez --force pour les remplacer)"
        )
        return
    kept: dict[str, str] = {}
    if todo:
        ensure_dir(folder)
        _remove_stale_temporaries(folder)
        for doc in todo:
            existing = [n for n in targets[doc.stem] if _regular(folder / n)]
            if not existing:
                continue
            before = previous.get(doc.stem)
            finished = before is not None and set(existing) <= set(before.get("fichiers", []))
            if options.force or not finished:
                # --force, or files of an interrupted run of this batch: redone in place.
                for name in existing:
                    (folder / name).unlink()
                continue
            # Generated by this batch from other data: kept, never silently replaced.
            version = _version_name(folder, doc.stem, options.formats)
            for name in existing:
                os.rename(folder / name, folder / f"{version}{Path(name).suffix}")
            kept[doc.stem] = version
            result.versions.append(f"{folder.name}/{version}")
        _write_manifest(
            folder,
            {
                "version": MANIFEST_VERSION,
                "etat": "en_cours",
                "documents": {k: {**v, "statut": STATUT_GENERE} for k, v in outcome.items()},
                "cibles": [n for names in targets.values() for n in names],
            },
        )
        try:
            generated = generate(
                dossier,
                sortie=folder,
                today=options.today,
                documents=options.documents,
                formats=options.formats,
                force=options.force,
                modeles=options.modeles,
                hors_delai=options.hors_delai,
                analysis=analysis,
                only={doc.stem for doc in todo},
            )
        except RecoursError as exc:
            error(str(exc))
            return
        by_stem = {d.document.stem: d for d in generated.documents}
        for doc in todo:
            done = by_stem.get(doc.stem)
            files = [f.path.name for f in done.fichiers] if done is not None else []
            refused = done is None or done.statut != "genere"
            message = " ".join(done.messages) if done is not None else ""
            if doc.stem in kept:
                message = (
                    f"données modifiées : régénéré ; la version précédente est conservée sous "
                    f"{kept[doc.stem]}. {message}"
                ).strip()
            outcome[doc.stem] = {
                "fichiers": files,
                "statut": STATUT_REFUSE if refused else STATUT_GENERE,
                "message": message,
                "empreinte": prints[doc.stem],
            }
            if not doc.dans_le_delai:
                label = "non généré" if refused else "généré avec --hors-delai"
                result.hors_delai.append(f"{organisme.raison_sociale} — {doc.libelle} ({label})")
        stored = {
            k: {**v, "statut": STATUT_REFUSE if v["statut"] == STATUT_REFUSE else STATUT_GENERE}
            for k, v in outcome.items()
        }
        _write_manifest(
            folder,
            {
                "version": MANIFEST_VERSION,
                "etat": "termine",
                "documents": stored,
                "fichiers": sorted({n for v in outcome.values() for n in v["fichiers"]}),
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
        result.erreurs_organisme += line.statut == STATUT_ERREUR


def _regular(path: Path) -> bool:
    """A regular file, not a symlink (the batch never follows a link it did not create)."""
    return path.is_file() and not path.is_symlink()


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of an atomic write cut short (a worker killed with its parent)."""
    for path in folder.glob(".*.tmp"):
        if _regular(path):
            path.unlink(missing_ok=True)


_DOCUMENT_LABELS = {
    "gracieux": "recours gracieux",
    "requete": "requête",
    "demande_indemnitaire": "demande indemnitaire préalable",
    "mise_en_demeure": "mise en demeure de payer",
    "recours_hierarchique": "recours hiérarchique",
    "requete_indemnitaire": "requête indemnitaire",
}


def _letter_lines(analysis: Any, planned: Any) -> list[ReportLine]:
    """One line per planned letter, with its établissements, amounts and deadlines.

    The `fichiers` field temporarily holds the document stem (filled by the caller).
    """
    from recours.cli.report import deadline_status
    from recours.law.referentiel import load_referentiel

    types = load_referentiel().autorites
    dossier = analysis.dossier
    lines = []
    for doc in planned:
        decisions = [analysis.decision(i) for i in doc.decisions]
        document = _DOCUMENT_LABELS.get(doc.kind, "requête")
        autorite = dossier.autorite(doc.autorite)
        destinataire = autorite.nom
        if doc.financement is not None:
            # A mise en demeure goes to the payer (the caisse for an ARS funding).
            destinataire = dossier.financements_notifies[doc.financement].payeur or autorite.nom
        etabs: dict[str, Any] = {}
        for d in decisions:
            for etab in d.etablissements:
                etabs.setdefault(etab.finess, etab)
        claimed = {line.finess for line in doc.claim.lignes}
        for etab in dossier.etablissements:
            if not decisions and etab.finess in claimed:
                etabs.setdefault(etab.finess, etab)
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
                type_autorite=types[autorite.type].libelle,
                document=document,
                destinataire=destinataire,
                etablissements=" ; ".join(f"{e.nom} ({e.finess})" for e in etabs.values()),
                nb_etablissements=len(etabs),
                du=doc.claim.du,
                recu=doc.claim.recu,
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
    contribution.notifie_non_verse = sum(
        (f.reste_du for f in dossier.financements_notifies), Decimal("0.00")
    )
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


class _Occurrences:
    """The same organisme met again in one input gets its own folder (`…_2`, `…_3`)."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def suffix(self, key: str | None) -> str:
        if key is None:
            return ""
        self._seen[key] += 1
        count = self._seen[key]
        return f"_{count}" if count > 1 else ""


def _data_key(data: Any) -> str | None:
    organisme = data.get("organisme") if isinstance(data, dict) else None
    if not isinstance(organisme, dict):
        return None
    values = {f"organisme.{k}": str(v) for k, v in organisme.items() if k in ("siren", "siret")}
    return organisme_key(values)


def _table_jobs(table: TableSource) -> tuple[int, Iterator[GroupJob]]:
    """Total rows and the groups of rows per organisme, released when complete."""
    counts = Counter(organisme_key(row.values) for row in table.rows(keys_only=True))
    counts.pop(None, None)
    total = sum(counts.values())

    def jobs() -> Iterator[GroupJob]:
        buffers: dict[str, list[RawRow]] = {}
        occurrences = _Occurrences()
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
                yield GroupJob(index, buffers.pop(key), folder_suffix=occurrences.suffix(key))
                index += 1
        for key, group in buffers.items():  # the file changed between the two passes
            yield GroupJob(index, group, folder_suffix=occurrences.suffix(key))
            index += 1

    return total, jobs()


def _list_jobs(path: Path) -> tuple[int, Iterator[GroupJob]]:
    items, lines = read_dossier_list(path)

    def jobs() -> Iterator[GroupJob]:
        occurrences = _Occurrences()
        for i, item in enumerate(items):
            sub = {loc[1:]: n for loc, n in lines.items() if loc[:1] == (i,)}
            yield GroupJob(
                i, data=item, lines=sub, folder_suffix=occurrences.suffix(_data_key(item))
            )

    return len(items), jobs()


def dossier_files(folder: Path) -> list[Path]:
    """The dossier files of a folder (not its sub-folders, no hidden file, no symlink)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in _DOSSIER_SUFFIXES and not p.name.startswith(".") and _regular(p)
    )


def _folder_jobs(folder: Path) -> tuple[int, Iterator[GroupJob]]:
    """One job per dossier file of a folder; a file that cannot be read is one error."""
    from recours.dossier.validation import read_dossier_file
    from recours.errors import DossierInvalidError

    paths = dossier_files(folder)
    if not paths:
        raise RecoursError(f"{folder} : aucun dossier (.yaml, .yml, .json) dans ce dossier")

    def jobs() -> Iterator[GroupJob]:
        occurrences = _Occurrences()
        for i, path in enumerate(paths):
            try:
                data, lines = read_dossier_file(path)
            except DossierInvalidError as exc:
                problems = [_with_source(p, path.name) for p in exc.problemes]
                yield GroupJob(i, source=path.name, problems=problems)
                continue
            except RecoursError as exc:
                yield GroupJob(i, source=path.name, problems=[FieldProblem("", str(exc))])
                continue
            suffix = occurrences.suffix(_data_key(data))
            yield GroupJob(i, data=data, lines=lines, folder_suffix=suffix, source=path.name)

    return len(paths), jobs()


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


def run_lot(
    source: Path,
    options: LotOptions,
    jobs: int = 1,
    zip_output: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[GroupResult], None] | None = None,
) -> LotSummary:
    """Generate the letters of every organisme of a spreadsheet, CSV, dossier list or
    folder of dossier files."""
    if not 1 <= jobs <= max_jobs():
        raise UsageError(
            f"--jobs : entre 1 et {max_jobs()} processus sur cette machine "
            f"({JOBS_PER_CORE} par cœur, {os.cpu_count() or 1} cœur(s)) ; reçu {jobs}"
        )
    if source.is_dir():
        total, jobs_iter = _folder_jobs(source)
        options = _replace(options, source=source.name)
    elif source.suffix.lower() in _DOSSIER_SUFFIXES:
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
    _remove_stale_reports(sortie)
    atomic_write_text(
        sortie / OUTPUT_MARKER, json.dumps({"recours": __version__, "source": source.name}), True
    )
    if on_start is not None:
        on_start(total)
    summary = LotSummary(sortie=sortie)
    synthesis = Synthesis()
    try:
        writer = ReportWriter(sortie)
    except OSError as exc:
        raise _report_error(sortie, exc) from None
    try:
        for result in _results(jobs_iter, options, jobs):
            writer.add(result.lignes)
            synthesis.add(result.contribution)
            synthesis.etablissements_en_erreur += result.lignes_en_erreur
            synthesis.etablissements_retenus += result.etablissements_retenus
            summary.dossiers += 1
            summary.lignes += result.etablissements + result.lignes_en_erreur
            summary.add(result)
            if on_result is not None:
                on_result(result)
        writer.close(synthesis)
    except OSError as exc:
        writer.abort()
        raise _report_error(sortie, exc) from None
    except BaseException:
        writer.abort()
        raise
    summary.sorties += [sortie / "rapport.xlsx", sortie / "rapport.csv"]
    summary.sorties += write_synthesis(
        sortie, synthesis, options.today, source.name, "pdf" in options.formats, options.modeles
    )
    if zip_output:
        try:
            summary.sorties.append(write_zip(sortie))
        except OSError as exc:
            raise _report_error(sortie, exc) from None
    return summary


def _report_error(sortie: Path, exc: OSError) -> RecoursError:
    return RecoursError(
        f"{sortie} : écriture du rapport impossible ({exc.strerror or exc}) ; les courriers déjà "
        "écrits sont conservés : libérez de la place puis relancez la même commande"
    )


def _remove_stale_reports(sortie: Path) -> None:
    """Temporary report files left by a run killed with -9 (nothing else could remove them)."""
    for name in OUTPUT_FILES:
        for path in sortie.glob(f".{name}.*.tmp"):
            if _regular(path):
                path.unlink(missing_ok=True)


def _replace(options: LotOptions, **changes: Any) -> LotOptions:
    from dataclasses import replace

    return replace(options, **changes)
