"""What a person's terminal shows after a program wrote ``raw`` to it: a small line-oriented
emulator of the sequences rich and typer write (colours, carriage return, erase line, cursor up,
cursor show and hide)."""

from __future__ import annotations

import re

_SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07]*\x07|\r|\n")


def screen_lines(raw: str) -> list[str]:
    """The lines left on the screen, trailing spaces and the empty last line dropped."""
    lines: list[str] = [""]
    row, col = 0, 0
    position = 0
    for match in _SEQUENCE.finditer(raw):
        text = raw[position : match.start()]
        if text:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + text + line[col + len(text) :]
            col += len(text)
        position = match.end()
        token = match.group(0)
        if token == "\n":
            row += 1
            col = 0
            if row == len(lines):
                lines.append("")
        elif token == "\r":
            col = 0
        elif match.group(2) == "K":  # erase in line: 2 (all) and 0 (to the end) are what rich uses
            lines[row] = "" if match.group(1) == "2" else lines[row][:col]
        elif match.group(2) == "A":  # cursor up
            row = max(0, row - int(match.group(1) or 1))
        elif match.group(2) == "G":  # cursor to column
            col = int(match.group(1) or 1) - 1
    text = raw[position:]
    if text:
        line = lines[row].ljust(col)
        lines[row] = line[:col] + text + line[col + len(text) :]
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out
