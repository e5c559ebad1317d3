"""The encore command's flow runs send no heartbeats (each would wait for its heartbeat thread
at its end), unless the environment asks for them."""

from __future__ import annotations

import pytest
from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings

from flows._lifetime import no_idle_heartbeats


@flow
def heartbeat_seen_by_a_subflow() -> int | None:
    return _inner()


@flow
def _inner() -> int | None:
    return get_current_settings().flows.heartbeat_frequency


def test_flow_runs_in_the_block_have_no_heartbeat() -> None:
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 180}):  # Prefect's default
        assert heartbeat_seen_by_a_subflow() == 180
        with no_idle_heartbeats():
            assert heartbeat_seen_by_a_subflow() is None
        assert heartbeat_seen_by_a_subflow() == 180


@pytest.mark.parametrize("name", ["PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"])
def test_a_frequency_the_operator_set_is_kept(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "60")
    # the frequency as Prefect read it from that variable, then the block
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}), no_idle_heartbeats():
        assert heartbeat_seen_by_a_subflow() == 60
