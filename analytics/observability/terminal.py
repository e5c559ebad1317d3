"""Text for a terminal: data never moves the cursor, rings the bell or forges a line.

A track named ``"\\x1b[2J"``, ``"\\r- Nebula"`` or ``"a\\nb"`` would clear the screen, overwrite
the line before it or print a plan line of its own. :func:`printable` shows such characters
as escapes instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional controls that reorder what follows them
_UNPRINTABLE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    ``keep_newlines`` keeps ``\\n`` (for a block of lines the program wrote itself; never for
    a value from data).
    """
    value = str(text)
    if keep_newlines:
        return "\n".join(_UNPRINTABLE.sub(_escape, line) for line in value.split("\n"))
    return _UNPRINTABLE.sub(_escape, value)
