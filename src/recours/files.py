"""Safe file output: atomic writes, no overwrite without --force, readable ASCII names."""

from __future__ import annotations

import errno
import functools
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from recours.errors import FileExistsRefusedError, RecoursError


@functools.cache
def default_mode() -> int:
    """The mode a new file gets under the process umask (mkstemp creates 0600 files).

    Read once, on the first write: reading the umask means setting it, which is not done
    at import time.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_OS_REASONS = {
    errno.ENAMETOOLONG: "nom trop long : 255 octets au plus par nom de fichier ou de dossier",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EEXIST: "existe déjà",
    errno.ELOOP: "trop de liens symboliques",
    errno.EIO: "erreur d'entrée-sortie",
}


def os_reason(exc: OSError) -> str:
    """French reason of an OSError (the system's own text is English)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def slug(text: str, max_length: int = 60) -> str:
    """ASCII, lowercase, dash-separated name: 'ARS Île-de-France' -> 'ars-ile-de-france'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    if len(cleaned) > max_length:
        # Cut at a word boundary rather than in the middle of a word.
        cut = cleaned[: max_length + 1]
        cleaned = cut[: cut.rfind("-")] if "-" in cut else cleaned[:max_length]
    return cleaned.rstrip("-") or "document"


def check_writable(path: Path, force: bool) -> None:
    try:
        exists = path.exists()
    except OSError as exc:  # a name over 255 bytes: stat fails before anything is written
        raise RecoursError(f"{path} : écriture impossible ({os_reason(exc)})") from None
    if exists and not force:
        raise FileExistsRefusedError(f"{path} existe déjà : utilisez --force pour le remplacer")


class AtomicFile:
    """A temporary file next to `target`, written freely, then published over it at once.

    `commit` renames it into place (never over an existing file without `force`);
    `discard` removes it. A crash leaves the old file or the new one, never half a file.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise RecoursError(f"{target} : écriture impossible ({os_reason(exc)})") from None
        os.close(fd)
        self.path = Path(name)

    def commit(self, force: bool = False) -> None:
        try:
            with self.path.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(self.path, default_mode())
            if force:
                os.replace(self.path, self.target)
            else:
                _publish_no_clobber(str(self.path), self.target)
        except BaseException as exc:
            self.discard()
            if isinstance(exc, FileExistsError):
                # Someone created the file between the check and the write: still no overwrite.
                raise FileExistsRefusedError(
                    f"{self.target} existe déjà : utilisez --force pour le remplacer"
                ) from None
            if isinstance(exc, OSError):
                raise RecoursError(
                    f"{self.target} : écriture impossible ({os_reason(exc)})"
                ) from None
            raise

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes, force: bool = False) -> None:
    """Write through a temporary file in the same folder, then rename.

    A crash or Ctrl-C leaves either the old file or the new one, never half a file.
    """
    check_writable(path, force)
    tmp = AtomicFile(path)
    try:
        tmp.path.write_bytes(data)
    except BaseException as exc:
        tmp.discard()
        if isinstance(exc, OSError):
            # Disk full, a folder where the file should be...: a French message, no traceback.
            raise RecoursError(f"{path} : écriture impossible ({os_reason(exc)})") from None
        raise
    tmp.commit(force)


def _publish_no_clobber(tmp_name: str, path: Path) -> None:
    """Move the finished temporary file to `path` unless a file appeared there meanwhile.

    A hard link fails if the target exists, closing the gap between the existence check
    and the rename; file systems without hard links fall back to that check.
    """
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp_name, path)
        return
    os.unlink(tmp_name)


def atomic_write_text(path: Path, text: str, force: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), force=force)


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecoursError(f"{path} : impossible de créer le dossier ({os_reason(exc)})") from None
    return path
