"""The processes Linux's /proc shows: who descends from whom, who is still alive."""

from __future__ import annotations

import time
from pathlib import Path


def processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command line) of every process /proc shows."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return found


def descendants(root: int) -> dict[int, str]:
    """The living descendants of ``root``: pid -> command line."""
    table = processes()
    out: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, state, cmdline) in table.items():
            if ppid == parent and pid not in out and state != "Z":
                out[pid] = cmdline
                frontier.append(pid)
    return out


def alive(pids: dict[int, str]) -> dict[int, str]:
    table = processes()
    return {pid: cmd for pid, cmd in pids.items() if pid in table and table[pid][1] != "Z"}


def wait_childless(pid: int, *, timeout_s: float) -> dict[int, str]:
    """Wait until ``pid`` has no living descendant, at most ``timeout_s``; those left."""
    deadline = time.monotonic() + timeout_s
    while (left := descendants(pid)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left
