"""One error hierarchy; the CLI turns these into a French message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass, field


class RecoursError(Exception):
    """Base of every error the user can act on. The message is French."""

    exit_code = 1


class UsageError(RecoursError):
    """Bad command-line usage (wrong date format, unknown option value...)."""

    exit_code = 2


@dataclass(frozen=True)
class FieldProblem:
    """One validation problem, located by its field path (and line, row, column if known)."""

    chemin: str
    message: str
    ligne: int | None = None
    feuille: str | None = None
    colonne: str | None = None

    def __str__(self) -> str:
        where = []
        if self.feuille is not None:
            where.append(f"feuille « {self.feuille} »")
        if self.ligne is not None:
            where.append(f"ligne {self.ligne}")
        if self.colonne is not None:
            where.append(f"colonne {self.colonne}")
        prefix = f"[{', '.join(where)}] " if where else ""
        path = self.chemin or "(dossier)"
        return f"{prefix}{path} : {self.message}"


@dataclass
class DossierInvalidError(RecoursError):
    """A dossier (file, row or answers) failed validation; carries every problem at once."""

    source: str
    problemes: list[FieldProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.source} : {len(self.problemes)} erreur(s)"]
        lines += [f"  - {p}" for p in self.problemes]
        return "\n".join(lines)


class FileExistsRefusedError(RecoursError):
    """Refusing to overwrite an existing file without --force."""


class DeadlinePassedError(RecoursError):
    """A document whose deadline has passed was asked for without --force."""


class TemplateError(RecoursError):
    """A template could not be loaded or rendered."""


class ReferentielError(RecoursError):
    """The bundled legal referential is inconsistent (a packaging bug)."""
