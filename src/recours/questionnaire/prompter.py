"""The questionary implementation of :class:`recours.questionnaire.flow.Prompter`.

The only module that imports questionary (about 0.15 s): the CLI imports it when it is
about to ask the first question. ``unsafe_ask`` lets Ctrl-C raise KeyboardInterrupt
(``ask`` would swallow it and return None, questionary #9, #122); defaults are passed as
choice values (questionary #124).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import questionary
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import has_focus
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.styles import Style

from recours.questionnaire.flow import Choice, PreviousQuestion

STYLE = Style([("qmark", "fg:ansicyan bold"), ("question", "bold"), ("answer", "fg:ansigreen")])
INSTRUCTION_SELECT = "(flèches puis Entrée)"
INSTRUCTION_SEARCH = "(tapez pour filtrer, flèches puis Entrée)"
INSTRUCTION_CHECKBOX = "(Espace pour cocher, Entrée pour valider)"
INSTRUCTION_MULTILINE = "(Entrée sur une ligne vide pour terminer)"


def _back_bindings() -> KeyBindings:
    """Page Up (« Page précédente ») or Ctrl-P: back to the previous question."""
    bindings = KeyBindings()

    @bindings.add("pageup", eager=True)
    @bindings.add("c-p", eager=True)
    def _back(event: KeyPressEvent) -> None:
        event.app.exit(exception=PreviousQuestion(), style="class:aborting")

    return bindings


def _with_back(question: Any) -> Any:
    application = question.application
    application.key_bindings = merge_key_bindings(
        [application.key_bindings or KeyBindings(), _back_bindings()]
    )
    return question


def _choices(choices: Sequence[Choice], checked: Sequence[str] | None = None) -> list[Any]:
    return [
        questionary.Choice(
            c.title,
            value=c.value,
            description=c.description,
            checked=checked is not None and c.value in checked,
        )
        for c in choices
    ]


class QuestionaryPrompter:
    """Asks in the terminal. ``input``/``output`` are for tests (prompt_toolkit pipe input)."""

    def __init__(self, **terminal: Any) -> None:
        self.terminal = terminal

    def text(
        self, message: str, *, name: str, default: str = "", instruction: str | None = None
    ) -> str:
        answer = _with_back(
            questionary.text(
                message, default=default, instruction=instruction, style=STYLE, **self.terminal
            )
        ).unsafe_ask()
        return str(answer)

    def multiline(
        self, message: str, *, name: str, default: str = "", instruction: str | None = None
    ) -> str:
        # Enter adds a line; Enter on an empty last line ends the text (that line is not
        # kept). Escape then Enter also ends it, as in any prompt_toolkit multiline field.
        bindings = KeyBindings()

        @bindings.add("enter", filter=has_focus(DEFAULT_BUFFER))
        def _enter(event: KeyPressEvent) -> None:
            buffer = event.current_buffer
            document = buffer.document
            if document.is_cursor_at_the_end and not document.current_line:
                if buffer.text.endswith("\n"):
                    buffer.text = buffer.text[:-1]
                buffer.validate_and_handle()
            else:
                buffer.newline(copy_margin=False)

        answer = _with_back(
            questionary.text(
                message,
                default=default,
                multiline=True,
                # The text starts on its own line: prompt_toolkit squeezes a multi-line
                # field into what is left of the prompt's last line (80 columns).
                instruction=f"{instruction or INSTRUCTION_MULTILINE}\n",
                key_bindings=bindings,
                style=STYLE,
                **self.terminal,
            )
        ).unsafe_ask()
        return str(answer)

    def select(
        self, message: str, choices: Sequence[Choice], *, name: str, default: str | None = None
    ) -> str:
        return self._select(message, choices, default, search=False)

    def autocomplete(
        self, message: str, choices: Sequence[Choice], *, name: str, default: str | None = None
    ) -> str:
        # A select with a search filter: the answer is always one of the choices.
        return self._select(message, choices, default, search=True)

    def _select(
        self, message: str, choices: Sequence[Choice], default: str | None, *, search: bool
    ) -> str:
        options: dict[str, Any] = (
            {"use_search_filter": True, "use_jk_keys": False, "instruction": INSTRUCTION_SEARCH}
            if search
            else {"instruction": INSTRUCTION_SELECT}
        )
        # questionary labels the pointed choice's description « Description: » (English,
        # hard-coded): the descriptions are listed before the question instead, in full.
        for c in choices:
            if c.description:
                questionary.print(f"  • {c.title} : {c.description}", **self._print_terminal())
        answer = _with_back(
            questionary.select(
                message,
                _choices(choices),
                default=default if default in {c.value for c in choices} else None,
                style=STYLE,
                show_description=False,
                **options,
                **self.terminal,
            )
        ).unsafe_ask()
        return str(answer)

    def checkbox(
        self, message: str, choices: Sequence[Choice], *, name: str, default: Sequence[str] = ()
    ) -> list[str]:
        question = _with_back(
            questionary.checkbox(
                message,
                _choices(choices, checked=default),
                instruction=INSTRUCTION_CHECKBOX,
                style=STYLE,
                **self.terminal,
            )
        )
        # questionary writes the answer in English (« done (2 selections) »): erase it
        # and write the French one.
        question.application.erase_when_done = True
        answer = [str(v) for v in question.unsafe_ask()]
        titles = [c.title for c in choices if c.value in answer]
        questionary.print(
            f"? {message} : {', '.join(titles) if titles else 'aucun'}", **self._print_terminal()
        )
        return answer

    def confirm(self, message: str, *, name: str, default: bool = True) -> bool:
        # questionary.confirm only knows y/n keys and prints "(Y/n)": a French select instead.
        answer = _with_back(
            questionary.select(
                message,
                [questionary.Choice("Oui", value="oui"), questionary.Choice("Non", value="non")],
                default="oui" if default else "non",
                instruction=INSTRUCTION_SELECT,
                style=STYLE,
                **self.terminal,
            )
        ).unsafe_ask()
        return bool(answer == "oui")

    def say(self, text: str = "") -> None:
        questionary.print(text, **self._print_terminal())

    def error(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            questionary.print(f"  ✗ {line}", style="fg:ansired", **self._print_terminal())

    def _print_terminal(self) -> dict[str, Any]:
        output = self.terminal.get("output")
        return {"output": output} if output is not None else {}
