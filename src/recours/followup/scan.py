"""Reading many dossier files quickly for `recours suivi` (the files are the only truth).

A dossier is parsed with libyaml and validated by the same pydantic model as everywhere;
line numbers are computed only for a file in error (a second, slower read).

Building Python objects from YAML is most of the time of a cold run, so the validated
dossiers are kept in a SQLite cache (standard library), keyed by the file's absolute path,
modification time, size and the tool's version: a file that changed in any way is read
again, and deleting the cache loses nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recours import __version__
from recours.dossier.models import Dossier
from recours.errors import DossierInvalidError, FieldProblem, RecoursError

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Loaded:
    path: Path
    dossier: Dossier | None
    probleme: str | None = None


def dossier_paths(target: Path) -> list[Path]:
    """One file, or every dossier file of a folder and its sub-folders (sorted; no hidden
    file or folder, no symlink)."""
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise RecoursError(f"{target} : fichier ou dossier introuvable")
    paths = []
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() in DOSSIER_SUFFIXES and path.is_file() and not path.is_symlink():
            paths.append(path)
    return paths


class _DuplicateKeyError(ValueError):
    pass


def _fast_loader() -> type:
    """The dossier loader (numbers and dates kept as text) with a cheaper duplicate-key
    check: a mapping that lost entries had a duplicate key, and the file is then read
    again by the full loader, which says where."""
    import yaml

    from recours.dossier.validation import DossierLoader

    class FastLoader(DossierLoader):
        pass

    def mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
        value = yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=True)
        if len(value) != len(node.value):
            raise _DuplicateKeyError
        return dict(value)

    FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return FastLoader


_FAST_LOADER: type | None = None


def _parse(path: Path) -> object:
    import yaml

    global _FAST_LOADER
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    if _FAST_LOADER is None:
        _FAST_LOADER = _fast_loader()
    return yaml.load(text, Loader=_FAST_LOADER)


def _first(problems: list[FieldProblem]) -> str:
    shown = " ; ".join(str(p) for p in problems[:3])
    more = len(problems) - 3
    return shown + (f" (et {more} autre(s))" if more > 0 else "")


def load_one(path: Path) -> Loaded:
    """The validated dossier, or the reason it cannot be followed (French)."""
    from recours.dossier.validation import load_dossier

    try:
        data = _parse(path)
        if isinstance(data, dict) and isinstance(data.get("dossiers"), list):
            return Loaded(path, None, "liste de dossiers : non suivie (un fichier par dossier)")
        return Loaded(path, Dossier.model_validate(data))
    except Exception:
        pass
    try:
        return Loaded(path, load_dossier(path))
    except DossierInvalidError as exc:
        return Loaded(path, None, _first(exc.problemes))
    except RecoursError as exc:
        return Loaded(path, None, str(exc))


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "recours" / "suivi.sqlite3"


class Cache:
    """Validated dossiers as JSON, by file identity; any SQLite trouble disables it."""

    def __init__(self, path: Path) -> None:
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS dossiers (chemin TEXT PRIMARY KEY, mtime_ns INTEGER, "
                "taille INTEGER, version TEXT, donnees TEXT)"
            )
        except (OSError, sqlite3.Error):
            self.close()

    def get(self, path: str, stat: os.stat_result) -> Dossier | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT donnees FROM dossiers WHERE chemin = ? AND mtime_ns = ? AND taille = ? "
                "AND version = ?",
                (path, stat.st_mtime_ns, stat.st_size, __version__),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return Dossier.model_validate_json(row[0])
        except ValueError:
            return None

    def put(self, path: str, stat: os.stat_result, dossier: Dossier) -> None:
        if self._db is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.execute(
                "INSERT OR REPLACE INTO dossiers VALUES (?, ?, ?, ?, ?)",
                (
                    path,
                    stat.st_mtime_ns,
                    stat.st_size,
                    __version__,
                    dossier.model_dump_json(by_alias=True),
                ),
            )

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.commit()
                self._db.close()
        self._db = None


def load_all(paths: list[Path], cache_path: Path | None = None) -> Iterator[Loaded]:
    """Every dossier of `paths`; with `cache_path`, unchanged files come from the cache."""
    cache = Cache(cache_path) if cache_path is not None else None
    try:
        for path in paths:
            key = str(path.resolve())
            try:
                stat = path.stat()
            except OSError:
                stat = None
            if cache is not None and stat is not None:
                cached = cache.get(key, stat)
                if cached is not None:
                    yield Loaded(path, cached)
                    continue
            loaded = load_one(path)
            if cache is not None and stat is not None and loaded.dossier is not None:
                cache.put(key, stat, loaded.dossier)
            yield loaded
    finally:
        if cache is not None:
            cache.close()
