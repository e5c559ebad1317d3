"""The curation explorer: how one playlist definition is curated, for a data scientist.

Every candidate's score in its parts, what the rules left out and why, the order with the
reason for each place, the energy arc the order follows, each transition's cost, and the
order's total cost against nearest neighbour, random order and the lower bound no order goes
below. :func:`load_curation` runs :func:`analytics.curation.curate` on the warehouse's
candidates, exactly as ``update_playlist`` does, without talking to Spotify; ``notebooks/playlist_curation.ipynb`` calls these, one per cell.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics import curation
from analytics.config import NO_CATALOG, MissingInput
from analytics.curation.candidates import in_pool
from analytics.curation.scoring import why_in
from analytics.curation.sequencing import EXACT_MAX, Problem
from analytics.curation.transitions import arc_targets
from analytics.reports.display import metric_cards, note, show, table
from analytics.reports.style import ALERT, PALETTE, finish, plot_text
from analytics.warehouse import Warehouse


@dataclass(frozen=True)
class CurationView:
    """A definition curated: the candidates, the result (with every score) and its sequencing problem."""

    definition: curation.PlaylistDefinition
    candidates: list[curation.Candidate]
    curated: curation.Curated
    problem: Problem  # the curated tracks in their chosen order, indices 0..n-1

    @property
    def scores(self) -> Mapping[str, curation.Score]:
        return self.curated.scores


def load_curation(
    warehouse: Warehouse, definition: str, *, today: date, catalog: Mapping[str, Any] | None = None
) -> CurationView:
    """Curate ``definition`` (a name in ``config/playlists/`` or a YAML path) over the stored candidates.

    Parameters
    ----------
    catalog : an ``encore-catalog/1`` document to curate from while the warehouse holds no
        tracks (the sandbox world's catalog); never a default.

    Raises
    ------
    MissingInput : the warehouse holds no tracks and no ``catalog`` was given.
    """
    spec = curation.load_definition(curation.definition_path(definition))
    candidates = curation.load_candidates(warehouse, catalog=catalog)
    if not candidates:
        raise MissingInput(NO_CATALOG, setting="encore sync")
    curated = curation.curate(spec, candidates, today=today)
    tracks = [p.track for p in curated.tracks]
    pins = {p.track_id: p.position for p in spec.constraints.pinned}
    problem = curation.build_problem(tracks, arc=spec.energy_arc, pins=pins)
    return CurationView(spec, candidates, curated, problem)


def score_table(view: CurationView, *, top: int = 30) -> pd.DataFrame:
    """The best-scoring candidates: total, each weighted part, whether in and why (or why not)."""
    chosen = set(view.curated.track_ids)
    left_out = dict(view.curated.left_out)
    rows = []
    for c in sorted(view.candidates, key=lambda c: (-view.scores[c.track_id].total, c.track_id))[:top]:
        score = view.scores[c.track_id]
        rows.append(
            {
                "track": c.name,
                "album": c.album_name,
                "score": round(score.total, 3),
                **{part: round(value, 3) for part, value in score.parts.items()},
                "in": "yes" if c.track_id in chosen else "no",
                "why": why_in(score) if c.track_id in chosen else _why_out(c, view, left_out),
            }
        )
    return pd.DataFrame(rows)


def _why_out(c: curation.Candidate, view: CurationView, left_out: dict[str, str]) -> str:
    if not in_pool(c, view.definition.pool):
        return "not in the definition's pool"
    return left_out.get(c.track_id, "below the cut")


def order_table(view: CurationView) -> pd.DataFrame:
    """The order: position, track, why it is in, why it is there, and the cost of reaching it."""
    d = view.problem.d
    return pd.DataFrame(
        [
            {
                "#": p.position + 1,
                "track": p.track.name,
                "why in": p.why_in,
                "why here": p.why_here,
                "transition cost": round(d[p.position - 1][p.position], 3) if p.position else None,
            }
            for p in view.curated.tracks
        ]
    )


def energy_arc(view: CurationView, *, title: str = "Energy along the playlist") -> go.Figure:
    """Each track's energy at its position against the arc's target (tracks without audio: gaps)."""
    tracks = [p.track for p in view.curated.tracks]
    energies = [t.energy for t in tracks if t.energy is not None]
    low, high = (min(energies), max(energies)) if energies else (0.0, 0.0)
    targets = arc_targets(len(tracks), view.definition.energy_arc, low=low, high=high)
    positions = list(range(1, len(tracks) + 1))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=positions,
            y=targets,
            name=f"target ({view.definition.energy_arc})",
            mode="lines",
            line={"color": PALETTE[3], "dash": "dash"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=positions,
            y=[t.energy for t in tracks],
            name="track energy",
            mode="lines+markers",
            connectgaps=False,
            text=[plot_text(t.name, max_chars=40) for t in tracks],
            hovertemplate="%{x}. %{text}: energy %{y:.2f}<extra></extra>",
            line={"color": PALETTE[0]},
        )
    )
    return finish(fig, title=title, height=320, xaxis_title="position", yaxis_title="energy (0-1)")


def transition_costs(view: CurationView, *, title: str = "Cost of each transition") -> go.Figure:
    """One bar per transition; the costliest in the alert colour."""
    tracks = [p.track for p in view.curated.tracks]
    d = view.problem.d
    costs = [d[k][k + 1] for k in range(len(tracks) - 1)]
    labels = [f"{k + 1}→{k + 2}" for k in range(len(costs))]
    worst = max(costs, default=0.0)
    names = [
        f"{plot_text(a.name, max_chars=30)} → {plot_text(b.name, max_chars=30)}" for a, b in pairwise(tracks)
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=costs,
            text=names,
            hovertemplate="%{text}: %{y:.2f}<extra></extra>",
            marker_color=[ALERT if c == worst and c > 0 else PALETTE[0] for c in costs],
        )
    )
    return finish(fig, title=title, height=300, xaxis_title="transition", yaxis_title="cost")


def sequencing_figures(view: CurationView, *, seeds: int = 5) -> dict[str, Any]:
    """The order's total cost against nearest neighbour (pins in place), random orders and the bound."""
    problem = view.problem
    order = list(range(problem.n))  # the problem is built in the chosen order
    cost = curation.total_cost(problem, order)
    greedy = curation.total_cost(problem, curation.greedy_order(problem, with_arc=False))
    shuffled = statistics.mean(
        curation.total_cost(problem, curation.random_order(problem, seed=s)) for s in range(seeds)
    )
    bound = curation.lower_bound(problem)
    return {
        "cost": cost,
        "nearest_neighbour": greedy,
        "random": shuffled,
        "lower_bound": bound,
        "exact": problem.n <= EXACT_MAX,
    }


def scores(view: CurationView, *, top: int = 30) -> None:
    """Section: the best-scoring candidates with their parts, in or out and why."""
    frame = score_table(view, top=top)
    if frame.empty:
        note(
            "No candidates: sync the catalog first (or point ENCORE_CATALOG_FILE at a catalog).",
            kind="missing",
        )
        return
    table(frame, max_rows=top, caption=f"the {len(frame)} best-scoring of {len(view.candidates)} candidates")


def order(view: CurationView) -> None:
    """Section: the order with its reasons, the energy arc and each transition's cost."""
    table(order_table(view), max_rows=200)
    show(energy_arc(view))
    if view.problem.n > 1:
        show(transition_costs(view))


def sequencing(view: CurationView) -> dict[str, Any]:
    """Section: the order's total cost against the baselines and the bound, as cards."""
    found = sequencing_figures(view)

    def below(other: float) -> str:
        return f"{1 - found['cost'] / other:.1%} below" if other else "—"

    metric_cards(
        [
            {
                "label": "This order",
                "value": f"{found['cost']:.2f}",
                "hint": "the exact optimum" if found["exact"] else "local search",
            },
            {
                "label": "Nearest neighbour",
                "value": f"{found['nearest_neighbour']:.2f}",
                "hint": below(found["nearest_neighbour"]),
            },
            {"label": "Random order", "value": f"{found['random']:.2f}", "hint": below(found["random"])},
            {"label": "Lower bound", "value": f"{found['lower_bound']:.2f}", "hint": "no order costs less"},
        ]
    )
    return found
