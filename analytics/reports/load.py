"""Read what a flow run left in its run folder (``data/runs/<run_id>``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.catalog.counts import tracks_crediting


@dataclass
class RunData:
    """A run's validated datasets, by name, and its manifest."""

    run_dir: Path
    datasets: dict[str, pd.DataFrame] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        datasets = self.__dict__.get("datasets", {})
        if name in datasets:
            return datasets[name]
        raise AttributeError(f"run {self.__dict__.get('run_dir')} has no dataset {name!r}")

    def has(self, name: str) -> bool:
        return name in self.datasets and not self.datasets[name].empty


def load_run(run_dir: str | Path, *, artist_id: str | None = None) -> RunData:
    """Load every ``datasets/*.parquet`` of a run, optionally only rows of one artist.

    One artist's tracks are the tracks crediting it, featured songs included.

    Raises
    ------
    FileNotFoundError : the folder is not a run folder; says which path was tried.
    """
    folder = Path(run_dir).expanduser()
    if folder.is_file() or not folder.exists():
        raise FileNotFoundError(
            f"no run folder at {folder}: pass the run_dir a flow printed (data/runs/<id>)"
        )
    folder = folder.resolve()
    data = RunData(run_dir=folder)
    manifest = folder / "manifest.json"
    if manifest.exists():
        data.manifest = json.loads(manifest.read_text())
    for path in sorted((folder / "datasets").glob("*.parquet")):
        df = pd.read_parquet(path)
        if artist_id and path.stem == "tracks":
            df = tracks_crediting(df, artist_id)  # its featured songs too
        elif artist_id and "artist_id" in df.columns:
            df = df[df["artist_id"] == artist_id].reset_index(drop=True)
        data.datasets[path.stem] = df
    return data
