"""French typography of the rendered text, applied by both renderers to their output.

Templates and the referential are typed with straight apostrophes and plain spaces (what
a keyboard gives); the documents show one apostrophe (’, the one Word's autocorrect types
when a lawyer edits a template), non-breaking spaces where French typography requires
them (before € and %, after « and n°, before » : ; ! ?), and ordinals « 1er » / « 1re »
with a superscript, which each renderer draws in its own markup.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"'"), "’"),
    # Before € (« 238 € », « 291,1 M€ ») and %: a no-break space.
    (re.compile(r"(?<=\d)[ \u202f](?=[kM]?€)"), NBSP),
    (re.compile(r"(?<=\d) (?=%)"), NBSP),
    (re.compile(r"\bn° (?=\S)"), "n°" + NBSP),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
    (re.compile(r" :(?=\s|$)"), NBSP + ":"),
    (re.compile(r" ([;!?])"), NNBSP + r"\1"),
]

ORDINAL_RE = re.compile(r"(?<![\w\u00b0])(1)(er|re)(?!\w)")


def typographie(text: str) -> str:
    """The text with French typography (apostrophe, non-breaking spaces)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def ordinal_parts(text: str) -> list[tuple[str, bool]]:
    """The text cut around ordinal suffixes: [("le 1", False), ("er", True), (" mai", False)]."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in ORDINAL_RE.finditer(text):
        parts.append((text[last : match.end(1)], False))
        parts.append((match.group(2), True))
        last = match.end()
    parts.append((text[last:], False))
    return [(t, sup) for t, sup in parts if t]
