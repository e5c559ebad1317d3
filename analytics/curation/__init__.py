"""Playlist curation: definitions as data, scoring, selection, sequencing and safe apply.

>>> definition = load_definition("config/playlists/essentials.yaml")      # doctest: +SKIP
>>> curated = curate(definition, candidates, today=date.today())          # doctest: +SKIP
>>> plan = make_plan(client, curated)                                     # doctest: +SKIP
>>> print(plan.render())                                                  # dry run  # doctest: +SKIP
>>> result = apply_plan(client, plan)                                     # doctest: +SKIP

See docs/curation.md.
"""

from analytics.curation.apply import (
    ApplyConflict,
    ApplyResult,
    NotEditable,
    Plan,
    PlaylistApi,
    PlaylistState,
    apply_plan,
    describe,
    find_playlist,
    make_plan,
    plan_for_target,
    read_state,
    reconcile,
)
from analytics.curation.candidates import (
    Candidate,
    candidates_from_catalog,
    candidates_from_rows,
    in_pool,
    with_features,
    with_metrics,
)
from analytics.curation.curate import Curated, Placed, curate
from analytics.curation.definition import (
    DEFINITIONS_DIR,
    DefinitionError,
    PlaylistDefinition,
    definition_path,
    load_definition,
    parse_definition,
)
from analytics.curation.description import MAX_DESCRIPTION, content_description, safe_description
from analytics.curation.diff import Diff, plan_diff, simulate
from analytics.curation.frames import plan_frame
from analytics.curation.scoring import CurationError, Score, near_identical, score_candidates, select
from analytics.curation.sequencing import (
    arc_lower_bound,
    best_nearest_neighbour,
    build_problem,
    exact_order,
    greedy_order,
    lower_bound,
    optimise,
    random_order,
    total_cost,
    transitions_lower_bound,
)
from analytics.curation.sources import load_candidates
from analytics.curation.transitions import camelot, camelot_distance, transition_cost

__all__ = [
    "DEFINITIONS_DIR",
    "MAX_DESCRIPTION",
    "ApplyConflict",
    "ApplyResult",
    "Candidate",
    "Curated",
    "CurationError",
    "DefinitionError",
    "Diff",
    "NotEditable",
    "Placed",
    "Plan",
    "PlaylistApi",
    "PlaylistDefinition",
    "PlaylistState",
    "Score",
    "apply_plan",
    "arc_lower_bound",
    "best_nearest_neighbour",
    "build_problem",
    "camelot",
    "camelot_distance",
    "candidates_from_catalog",
    "candidates_from_rows",
    "content_description",
    "curate",
    "definition_path",
    "describe",
    "exact_order",
    "find_playlist",
    "greedy_order",
    "in_pool",
    "load_candidates",
    "load_definition",
    "lower_bound",
    "make_plan",
    "near_identical",
    "optimise",
    "parse_definition",
    "plan_diff",
    "plan_for_target",
    "plan_frame",
    "random_order",
    "read_state",
    "reconcile",
    "safe_description",
    "score_candidates",
    "select",
    "simulate",
    "total_cost",
    "transition_cost",
    "transitions_lower_bound",
    "with_features",
    "with_metrics",
]
