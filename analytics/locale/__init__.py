"""Every word encore shows people, in English, French and German: one gettext catalog a language.

The catalogs are text, kept in the package: ``analytics/locale/<language>/LC_MESSAGES/encore.po``
(their template, ``encore.pot``, lists every message without translations). Babel reads each once
a process. The report texts and the content generator's phrasings share them:

* a report text: ``msgctxt`` is its key (``heading.streams``), ``msgid`` the English,
  ``msgstr`` the language's. A counted text has ``msgid_plural`` and ``msgstr[0]`` / ``msgstr[1]``:
  the forms for CLDR's ``one`` and ``other`` (French says "0 titre");
* a content sentence: ``msgctxt`` is ``content:<block>``, ``msgid`` the English phrasings one a
  line, ``msgstr`` the language's, as many as it has;
* content words (``content-words:<key>``) likewise; an empty ``msgstr`` means the language has
  no such form (French and German agree adjectives, English does not).

``scripts/messages.py check`` says what a catalog lacks. With ``ENCORE_MARK_MESSAGES=1`` in the
environment, every text taken from the catalog comes wrapped in :data:`OPEN` and :data:`CLOSE`
(the literal parts of a template; the values filled into it are not): the test that no word of a
rendered report comes from anywhere else looks for what is left outside the marks.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

LANGUAGES = ("en", "fr", "de")
DOMAIN = "encore"
LOCALE_DIR = Path(__file__).resolve().parent
MARKS_ENV = "ENCORE_MARK_MESSAGES"
OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: no font draws them, no text holds them
PLURAL_FORMS = ("one", "other")  # msgstr[0], msgstr[1]: the languages encore speaks need no more


@dataclass(frozen=True)
class Message:
    """One message of a language's catalog: its context and its forms (one, or one and other)."""

    context: str
    forms: tuple[str, ...]

    @property
    def counted(self) -> bool:
        return len(self.forms) > 1


def check_language(language: str) -> str:
    """``language`` if encore speaks it.

    Raises
    ------
    ValueError : an unsupported language; the message lists the supported ones.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not supported; choose one of: {', '.join(LANGUAGES)}")
    return language


def catalog_path(language: str) -> Path:
    """The ``.po`` file of ``language``."""
    return LOCALE_DIR / check_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def messages(language: str) -> Mapping[str, Message]:
    """Every translated message of ``language``'s catalog, by context (read once a process).

    Raises
    ------
    ValueError : an unsupported language, a message without a context, or a context used twice.
    """
    from babel.messages.pofile import read_po

    path = catalog_path(language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    found: dict[str, Message] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        if not message.context:
            raise ValueError(f"{path}: message {message.id!r} has no msgctxt (every message is keyed)")
        if message.context in found:
            raise ValueError(f"{path}: msgctxt {message.context!r} is used twice")
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        forms = tuple(str(form or "") for form in strings)
        if all(forms):
            found[message.context] = Message(context=message.context, forms=forms)
    return found


def message(context: str, *, language: str) -> Message:
    """The message ``context`` of ``language``'s catalog.

    Raises
    ------
    ValueError : an unsupported language.
    KeyError : the catalog has no translated message with that context.
    """
    return messages(check_language(language))[context]


def plural_form(count: float, *, language: str) -> str:
    """``one`` or ``other``: the form a counted text takes for ``count`` in ``language`` (CLDR rules).

    French says "0 titre" and "1,5 titre" (category ``one``), English "0 tracks"; the languages
    encore speaks need no other forms (CLDR's ``many`` for French millions reads as ``other``).
    """
    return "one" if Locale.parse(check_language(language)).plural_form(abs(count)) == "one" else "other"


def lines(context: str, *, language: str) -> tuple[str, ...]:
    """The phrasings (or words) of a content message, one a line, in ``language``.

    Raises
    ------
    KeyError : the language has no such message (or leaves it empty: a form it does not need).
    """
    return tuple(message(context, language=language).forms[0].split("\n"))


def marking() -> bool:
    """Whether texts are marked (``ENCORE_MARK_MESSAGES=1``): only the untranslated-text test asks."""
    return os.environ.get(MARKS_ENV) == "1"


def mark(template: str) -> str:
    """``template`` with each of its literal parts between :data:`OPEN` and :data:`CLOSE`; its
    ``{placeholders}`` stay outside, so a value filled in later is not taken for catalog text."""
    parts = list(string.Formatter().parse(template))
    if all(field is None for _, field, _, _ in parts):
        return f"{OPEN}{template}{CLOSE}"
    out: list[str] = []
    literal_run = ""  # the parser splits a literal at each escaped brace: join the pieces again
    for literal, field, spec, conversion in parts:
        literal_run += literal
        if field is None:
            continue
        if literal_run:
            out.append(OPEN + literal_run.replace("{", "{{").replace("}", "}}") + CLOSE)
            literal_run = ""
        out.append(
            "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        )
    if literal_run:
        out.append(OPEN + literal_run.replace("{", "{{").replace("}", "}}") + CLOSE)
    return "".join(out)
