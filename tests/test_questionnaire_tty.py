"""The questionnaire in real terminals: questionary on prompt_toolkit pipe input, and one
end-to-end ``recours nouveau`` run in tmux (send-keys / capture-pane)."""

from __future__ import annotations

import io
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from recours.dossier.validation import load_dossier
from recours.formatting import montant
from recours.questionnaire.flow import Choice, PreviousQuestion
from recours.questionnaire.prompter import QuestionaryPrompter

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
CHOICES = [Choice("a", "Premier"), Choice("b", "Deuxième"), Choice("c", "Troisième")]


@pytest.fixture
def terminal() -> Iterator[tuple[QuestionaryPrompter, object]]:
    with create_pipe_input() as pipe:
        yield QuestionaryPrompter(input=pipe, output=DummyOutput()), pipe


def test_text_keeps_a_default_and_takes_typed_text(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text(ENTER)
    assert prompter.text("Forme juridique", name="x", default="association") == "association"
    pipe.send_text("\x15778899112" + ENTER)  # Ctrl-U clears the proposed answer
    assert prompter.text("SIREN", name="x", default="123") == "778899112"


def test_multiline_text_ends_on_an_empty_line_and_keeps_line_breaks(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text("Première ligne" + ENTER + "Deuxième ligne" + ENTER + ENTER)
    assert prompter.multiline("Faits", name="x") == "Première ligne\nDeuxième ligne"
    pipe.send_text(ENTER)  # an empty text
    assert prompter.multiline("Faits", name="x") == ""
    pipe.send_text(ENTER + ENTER)  # the proposed text is kept
    assert prompter.multiline("Faits", name="x", default="a\nb") == "a\nb"
    # Pasted text keeps its blank lines (bracketed paste), Escape then Enter also ends.
    pipe.send_text("\x1b[200~p1\n\np2\x1b[201~" + "\x1b" + ENTER)
    assert prompter.multiline("Faits", name="x") == "p1\n\np2"


def test_select_starts_on_the_default_value(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text(DOWN + ENTER)
    assert prompter.select("Choix", CHOICES, name="x", default="b") == "c"


def test_searchable_select_filters_on_typed_text(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text("troi" + ENTER)
    assert prompter.autocomplete("Catégorie", CHOICES, name="x") == "c"


def test_checkbox_starts_with_the_defaults_checked(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text(DOWN + DOWN + SPACE + ENTER)
    assert prompter.checkbox("Cases", CHOICES, name="x", default=["a"]) == ["a", "c"]


def test_confirm_is_a_french_select(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text(ENTER)
    assert prompter.confirm("Continuer ?", name="x", default=False) is False
    pipe.send_text(UP + ENTER)
    assert prompter.confirm("Continuer ?", name="x", default=False) is True


@pytest.mark.parametrize("key", ["\x1b[5~", "\x10"])  # Page Up, Ctrl-P
def test_previous_key_raises_previous_question(terminal: tuple, key: str) -> None:
    prompter, pipe = terminal
    pipe.send_text(key)
    with pytest.raises(PreviousQuestion):
        prompter.text("Raison sociale", name="x")
    pipe.send_text(key)
    with pytest.raises(PreviousQuestion):
        prompter.select("Choix", CHOICES, name="x")
    pipe.send_text(key)
    with pytest.raises(PreviousQuestion):
        prompter.checkbox("Cases", CHOICES, name="x")


def test_checkbox_answer_is_written_in_french() -> None:
    out = io.StringIO()
    with create_pipe_input() as pipe:
        prompter = QuestionaryPrompter(input=pipe, output=PlainTextOutput(out))
        pipe.send_text(DOWN + SPACE + ENTER)
        assert prompter.checkbox("Cases", CHOICES, name="x", default=["a"]) == ["a", "b"]
    # The French answer is the last line written. questionary's English « done (2
    # selections) » may be drawn for a moment under load (a redraw between its Enter handler
    # and the exit), but erase_when_done wipes it on a real terminal; a plain-text output
    # keeps everything, so only the final line is a stable check.
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[-1].strip() == "? Cases : Premier, Deuxième"


def test_ctrl_c_raises_keyboard_interrupt(terminal: tuple) -> None:
    prompter, pipe = terminal
    pipe.send_text(CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        prompter.text("Raison sociale", name="x")


# ----------------------------------------------------------------------- end to end


class Tmux:
    """A private tmux server (its own socket) running one command in an 80x24 pane (the usual terminal)."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.seen: dict[str, int] = {}

    def start(self, command: str, cwd: Path) -> None:
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", "-c", str(cwd)],
            check=True,
        )
        subprocess.run([*self.base, "set-option", "-g", "history-limit", "20000"], check=True)
        self.type(command)
        self.key("Enter")

    def screen(self) -> str:
        result = subprocess.run(
            [*self.base, "capture-pane", "-p", "-J", "-S", "-", "-t", "e2e"],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def expect(self, text: str, timeout: float = 20) -> None:
        """Wait for one more occurrence of ``text`` than already seen (the next question)."""
        deadline = time.monotonic() + timeout
        wanted = self.seen.get(text, 0) + 1
        while time.monotonic() < deadline:
            count = self.screen().count(text)
            if count >= wanted:
                self.seen[text] = count
                return
            time.sleep(0.05)
        raise AssertionError(f"« {text} » n'est pas apparu ; écran :\n{self.screen()[-3000:]}")

    def type(self, text: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "e2e", "-l", text], check=True)

    def key(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "e2e", *keys], check=True)

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, check=False)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


class Keys(tuple[str, ...]):
    """Keys to press (tmux names: Up, Down, Space) before Enter."""


class Filter(str):
    """Text typed into a searchable select (no Ctrl-U: it is not a text field)."""


class Lines(tuple[str, ...]):
    """Lines typed into a multi-line text, each followed by Enter (then Enter ends it)."""


# (question on screen, answer): text is typed after Ctrl-U; None accepts the default.
ANSWERS: list[tuple[str, str | Keys | Lines | None]] = [
    ("Raison sociale de l'organisme", "Association E2E Les Tilleuls"),
    ("Forme juridique", None),
    ("SIREN (9 chiffres)", "778899112"),
    ("SIRET du siège", None),
    ("Numéro RNA", None),
    ("Siège social : numéro et voie", "1 rue des Tilleuls"),
    ("Siège social : complément", None),
    ("Siège social : code postal", "72000"),
    ("Siège social : commune", "Le Mans"),
    ("Représentant légal : civilité", None),
    ("Représentant légal : prénom et nom", "Claire Martin"),
    ("Représentant légal : qualité", "présidente"),
    ("signés par une autre personne", None),
    ("Indiquer une personne à contacter", None),
    ("Type d'autorité de tarification", Keys(["Down"])),  # the second: conseil départemental
    ("Nom de l'autorité", "Conseil départemental (Sarthe)"),
    ("Service destinataire", None),
    ("Civilité du titulaire", None),
    ("Adresse de l'autorité : numéro et voie", "1 place Aristide-Briand"),
    ("Adresse de l'autorité : complément", None),
    ("Adresse de l'autorité : code postal", "72000"),
    ("Adresse de l'autorité : commune", "Le Mans"),
    ("Département de son siège", None),
    ("? Autorités de tarification :", None),  # "Continuer" is proposed
    ("Nom de l'établissement ou du service", "MECS Les Tilleuls"),
    ("Numéro FINESS", "720000011"),
    ("Catégorie d'établissement", Filter("MECS")),
    ("Adresse de l'établissement : numéro et voie", "3 chemin des Prés"),
    ("Adresse de l'établissement : complément", None),
    ("Adresse de l'établissement : code postal", "72000"),
    ("Adresse de l'établissement : commune", "Le Mans"),
    ("Département d'implantation", None),
    ("Régime budgétaire", None),
    ("Méthode de calcul du coût", None),
    ("Exercice (année)", None),
    ("Nombre de mois éligibles", None),
    ("ETP éligibles", "2"),
    ("Financement déjà reçu de", None),
    ("? Exercices réclamés (MECS Les Tilleuls)", None),
    ("? Établissements et services :", None),
    ("Nature de la décision", None),
    ("Numéro de la décision", None),
    ("Date de la décision", "10/03/2026"),
    ("Date à laquelle elle vous a été notifiée", "15/03/2026"),
    ("Objet de la décision", None),
    ("mentionnait-elle les voies et délais", None),
    ("vos propositions budgétaires", None),
    ("l'autorité a-t-elle écarté ce coût", None),
    ("Avez-vous déjà envoyé un recours gracieux", None),
    ("? Décisions contestées :", None),
    ("Documents à préparer contre cette décision", None),
    # The optional lists: Enter answers « non » (the default).
    ("demande indemnitaire préalable", None),
    ("notifié un financement", None),
    ("mise en demeure de payer", None),
    ("Êtes-vous représenté par un avocat", None),
    ("Faits complémentaires à exposer", Lines(["Première ligne des faits", "Deuxième ligne"])),
    ("Pièces jointes supplémentaires", Lines(["Rapport d'activité 2025"])),
    ("Référence interne du dossier", None),
    ("Lieu de signature", None),
    ("Date des documents", None),
    ("Que voulez-vous faire", None),
]


@pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux absent : test de bout en bout en terminal réel ignoré (la CI installe tmux)",
)
def test_recours_nouveau_end_to_end_in_tmux(tmp_path: Path) -> None:
    tmux = Tmux(f"recours-e2e-{tmp_path.name}")
    command = " ".join(
        shlex.quote(part)
        for part in [
            sys.executable,
            "-m",
            "recours",
            "nouveau",
            "--formats",
            "docx",
            "--aujourdhui",
            "2026-04-01",
        ]
    )
    tmux.start(f"{command}; echo CODE-SORTIE=$?", tmp_path)
    try:
        for question, answer in ANSWERS:
            tmux.expect(question)
            if isinstance(answer, Keys):
                tmux.key(*answer)
            elif isinstance(answer, Lines):
                for line in answer:
                    tmux.type(line)
                    tmux.key("Enter")
            elif isinstance(answer, Filter):
                tmux.type(answer)
            elif answer is not None:
                tmux.key("C-u")
                tmux.type(answer)
            tmux.key("Enter")
        tmux.expect("CODE-SORTIE=0", timeout=60)
        screen = tmux.screen()
    finally:
        tmux.kill()

    assert "→ Coût 2024 : 2 ETP × 5 270 € × 12 mois / 12 = 10 540,00 €" in screen.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
    assert "Documents écrits dans documents :" in screen
    assert "Page précédente" in screen  # the « précédent » key is documented on screen
    # The only authority entered is the établissement's: said, not asked.
    assert "Autorités de tarification de l'établissement : Conseil départemental (Sarthe)" in (
        screen
    )
    assert "done" not in screen and "selection" not in screen  # no English
    assert "Prochaine échéance : recours gracieux" in screen
    document = tmp_path / "documents" / "recours-gracieux_conseil-departemental-sarthe.docx"
    text = _docx_text(document)
    assert "Association E2E Les Tilleuls" in text
    assert montant(Decimal("10540")) in text
    assert "Rapport d’activité 2025" in text  # typographic apostrophe in documents
    xml = docx.Document(str(document)).element.xml
    assert re.search(r"Première ligne des faits</w:t>\s*<w:br/>\s*<w:t[^>]*>Deuxième ligne<", xml)
    dossier = load_dossier(tmp_path / "dossier.yaml")
    assert dossier.avocat is None
    assert dossier.faits_complementaires == "Première ligne des faits\nDeuxième ligne"
    assert dossier.pieces_complementaires == ["Rapport d'activité 2025"]
    assert dossier.lieu_signature == "Le Mans"
    assert list((tmp_path / "documents").iterdir()) == [document]
