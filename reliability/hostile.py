"""The hostile input corpus: strings that try injection, malformed exports, corrupt audio.

The small files live in ``tests/data/hostile/`` (written by :func:`write_corpus`, committed);
the big ones (10 MB fields) are generated at test time by :func:`write_big_files`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "hostile"
SHELL_MARKER = "encore-hostile-pwned"  # a file of this name appears if any string is run by a shell
MARKER = Path("/tmp") / SHELL_MARKER  # noqa: S108 - where the hostile strings would create it

# Names that try every kind of injection encore could suffer; each ends in its own tag so a test
# can find it verbatim (escaped) in a report.
HOSTILE_STRINGS: tuple[str, ...] = (
    "<script>document.title='xss-1'</script>",
    '"><img src=x onerror="document.title=\'xss-2\'">',
    "</script><script>document.title='xss-3'</script>",
    "Robert'); DROP TABLE tracks;-- sql-1",
    "1' OR '1'='1 sql-2",
    "%s%n%x%d {0} {__class__} {{7*7}} ${HOME} fmt-1",
    f"$(touch /tmp/{SHELL_MARKER}) `touch /tmp/{SHELL_MARKER}`; touch /tmp/{SHELL_MARKER} sh-1",
    "\u202eevil-rtl\u202c \u200f\u2066rtl-1\u2069",
    "ctrl\x01\x07\x08\x1b[31m\x7f ctrl-1",
    "import os; os.system('touch /tmp/" + SHELL_MARKER + "') nb-1",
    "L" * 10_000,
)


def hostile_catalog(base: dict, *, strings: tuple[str, ...] = HOSTILE_STRINGS) -> dict:
    """A copy of an ``encore-catalog/1`` catalog whose names and descriptions are hostile."""
    catalog = json.loads(json.dumps(base))
    tracks = catalog["tracks"]
    for i, text in enumerate(strings[: len(tracks)]):
        tracks[i]["name"] = text
    catalog["artists"][0]["name"] = strings[0] + " " + strings[3]
    catalog["albums"][0]["name"] = strings[2]
    for playlist, text in zip(catalog["playlists"], (strings[1], strings[5], strings[7]), strict=False):
        playlist["description"] = text
    return catalog


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(r) + "\n" for r in rows)


def corpus_files(*, today: date) -> dict[str, bytes]:
    """The small hostile exports and audio files by name (see ``expected.json`` for outcomes)."""
    future = (today + timedelta(days=400)).isoformat()
    names = [f'"{s}"' if "," in s else s for s in HOSTILE_STRINGS[:10]]
    files: dict[str, bytes] = {
        "audience_bom_extra_columns.csv": "\ufeffDate,Listeners,Streams,Followers,Extra,Another\n"
        "2026-01-01,10,12,5,x,y\n2026-01-02,11,13,6,,\n".encode(),
        "audience_latin1.csv": "date,listeners,streams\n2026-01-01,10,12\n# caf\xe9\n".encode("latin-1"),
        "audience_utf16.csv": "date,listeners,streams\n2026-01-01,10,12\n".encode("utf-16"),
        "audience_bad_utf16.csv": b"\xff\xfed\x00a\x00\x00\xd8",
        "audience_missing_columns.csv": b"date,followers\n2026-01-01,5\n",
        "audience_empty.csv": b"",
        "audience_header_only.csv": b"date,listeners,streams\n",
        "audience_bad_values.csv": _csv(
            [
                ["date", "listeners", "streams"],
                ["2026-01-01", "-3", "12"],
                ["2026-01-02", "lots", "12"],
                ["2026-01-03", "10", "1e9"],
                [future, "10", "12"],
                ["not-a-date", "10", "12"],
                ["2026-01-04", "10", "12", "extra-cell"],
                ["2026-01-05", "10", "12"],
                ["2026-01-05", "10", "12"],
                ["2026-01-05", "11", "12"],
                ["'; DROP TABLE s4a_audience_daily;--", "1", "1"],
            ]
        ).encode(),
        "songs_hostile_names.csv": _csv(
            [["song", "listeners", "streams", "release_date"]]
            + [[n, "1", str(i + 1), "2026-01-01"] for i, n in enumerate(names)]
        ).encode(),
        "history_truncated.json": b'[{"ts": "2026-01-01T10:00:00Z", "ms_played": 2000',
        "history_not_array.json": b'{"ts": "2026-01-01T10:00:00Z"}',
        "history_empty.json": b"",
        "history_nul_bytes.json": b"[\x00\x00]",
        "history_hostile.json": json.dumps(
            [
                {"ts": "2026-01-01T10:00:00Z", "ms_played": 200000, "spotify_track_uri": "spotify:track:A1"},
                {"ts": "2026-01-01T10:00:00Z", "ms_played": 200000, "spotify_track_uri": "spotify:track:A1"},
                {"ts": "2026-01-01T11:00:00Z", "ms_played": -5, "spotify_track_uri": "spotify:track:A1"},
                {"ts": "2026-01-01T12:00:00Z", "ms_played": "lots", "spotify_track_uri": "spotify:track:A1"},
                {"ts": future + "T00:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:A1"},
                {"ts": "yesterday", "ms_played": 1000, "spotify_track_uri": "spotify:track:A1"},
                {"ts": "2026-01-01T13:00:00Z", "ms_played": 1000, "spotify_track_uri": HOSTILE_STRINGS[3]},
                {
                    "ts": "2026-01-01T14:00:00Z",
                    "ms_played": 1000,
                    "spotify_track_uri": "spotify:track:" + HOSTILE_STRINGS[0],
                    "platform": HOSTILE_STRINGS[5],
                    "conn_country": HOSTILE_STRINGS[8],
                    "ip_addr": "198.51.100.99",
                    "username": "private-user-name",
                },
                {"ts": "2026-01-01T15:00:00Z", "ms_played": 1000, "spotify_episode_uri": "spotify:episode:E"},
                "not an object",
                None,
                [1, 2],
            ]
        ).encode(),
        "audience_excel_dates_huge_counts.csv": (
            "date,listeners,streams,followers\n2026-11-01,10,12,5\n1900-01-01,11,13,5\n"
            f"2026-11-02,11,{2**63},5\n2026-11-03,11,{'9' * 5000},5\n2026-11-04,11,13,5\n"
        ).encode(),
        "history_huge_integer.json": b'[{"ts": "2026-01-01T10:00:00Z", "ms_played": ' + b"7" * 5000 + b"}]",
        "audio_random.ogg": b"OggS" + bytes((i * 37 + 11) % 256 for i in range(4096)),
        "audio_empty.ogg": b"",
        "audio_text.mp3": b"ID3 this is not audio at all\n" * 20,
        "audio_truncated.wav": b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00",
    }
    return files


def write_corpus(folder: Path = CORPUS, *, today: date) -> list[Path]:
    """Write the small corpus files into ``folder`` (used once to create the committed files)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in corpus_files(today=today).items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def write_big_files(folder: Path, *, field_mb: int = 10) -> list[Path]:
    """Exports with one ``field_mb`` MB field each (generated, never committed)."""
    folder.mkdir(parents=True, exist_ok=True)
    big = "x" * (field_mb * 1024 * 1024)
    csv_path = folder / "songs_10mb_field.csv"
    csv_path.write_text(f"song,listeners,streams\n{big},1,2\nsmall,1,2\n", encoding="utf-8")
    json_path = folder / "history_10mb_field.json"
    record = {"ts": "2026-01-01T10:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:" + big}
    ok = {"ts": "2026-01-01T10:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:B2"}
    json_path.write_text(json.dumps([record, ok, {"platform": big, **ok, "ts": "2026-01-02T00:00:00Z"}]))
    return [csv_path, json_path]


def write_deep_files(folder: Path) -> list[Path]:
    """A history file of arrays nested 200,000 deep (400 KB: generated, never committed)."""
    folder.mkdir(parents=True, exist_ok=True)
    deep_path = folder / "history_nested_deep.json"
    deep_path.write_text("[" * 200_000 + "]" * 200_000)
    return [deep_path]


# Files the scenario writes at run time instead of reading them from the committed corpus.
GENERATED = ("songs_10mb_field.csv", "history_10mb_field.json", "history_nested_deep.json")
