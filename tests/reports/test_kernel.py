"""The report kernel: its own bytecode cache where bytecode may not be written, a quiet start
on the operator's terminal, and one kernel shared by the reports of a run."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import nbformat
import papermill
import pytest

import flows._notebooks as _notebooks_module
from analytics.reports.kernel import kernel_environment
from flows._notebooks import one_report_kernel, run_notebook


def test_the_environment_keeps_bytecode_in_the_cache(tmp_path: Path) -> None:
    env = kernel_environment({"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/bin"}, bytecode_cache=tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path) and env["PATH"] == "/bin"


def test_where_bytecode_may_be_written_the_kernel_reads_the_installed_bytecode(tmp_path: Path) -> None:
    """A prefix would hide the bytecode the installed packages carry: every package compiled again."""
    env = kernel_environment({"PATH": "/bin"}, bytecode_cache=tmp_path)
    assert env == {"PATH": "/bin"}


def test_a_notebook_runs_without_the_kernels_start_up_warnings(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("answer = 6 * 7\nprint(answer)")]
    nbformat.write(notebook, tmp_path / "in.ipynb")
    done = papermill.execute_notebook(
        str(tmp_path / "in.ipynb"),
        str(tmp_path / "out.ipynb"),
        kernel_name="python3",
        kernel_manager_class="analytics.reports.kernel.ReportKernelManager",
        progress_bar=False,
    )
    assert done.cells[0].outputs[0]["text"] == "42\n"
    assert "IPKernelApp" not in capfd.readouterr().err


def _notebooks(folder: Path) -> None:
    """a: leaves a name behind and prints its pid; b: prints its pid and whether it sees the
    name (in two cells, to show their count); c: fails."""
    cells = {
        "a": ["import os\nleft_behind = 1\nprint(os.getpid())"],
        "b": ["import os", "print(os.getpid(), 'left_behind' in dir())"],
        "c": ["raise ValueError('this report fails')"],
    }
    for name, sources in cells.items():
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
        nbformat.write(notebook, folder / f"{name}.ipynb")


def _printed(executed: Path) -> list[str]:
    cell = nbformat.read(executed, as_version=4).cells[-1]
    return str(cell.outputs[0]["text"]).split()


def _counts(executed: Path) -> list[int]:
    return [cell.execution_count for cell in nbformat.read(executed, as_version=4).cells]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.fixture
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _notebooks(tmp_path)
    monkeypatch.setattr(_notebooks_module, "NOTEBOOKS", tmp_path)
    return tmp_path


def test_the_notebooks_of_one_block_share_a_kernel_and_nothing_else(notebooks: Path) -> None:
    out = notebooks / "out"
    with one_report_kernel() as kernel:
        [first] = _printed(run_notebook("a.ipynb", output=out / "a.ipynb", parameters={}))
        second, sees = _printed(run_notebook("b.ipynb", output=out / "b.ipynb", parameters={}))
        with one_report_kernel() as inner:  # a block inside uses the outer block's kernel
            third, _ = _printed(run_notebook("b.ipynb", output=out / "b2.ipynb", parameters={}))
        assert inner is kernel and _alive(int(first))
    assert first == second == third and kernel.kernels_started == 1
    assert sees == "False"  # the name the first notebook left is gone
    assert _counts(out / "b.ipynb") == [1, 2]  # counted from 1, as in a kernel of its own
    assert not _alive(int(first))  # the block ends its kernel


def test_after_a_failed_or_dead_kernel_the_next_notebook_starts_a_fresh_one(notebooks: Path) -> None:
    out = notebooks / "out"
    with one_report_kernel() as kernel:
        [first] = _printed(run_notebook("a.ipynb", output=out / "a.ipynb", parameters={}))
        with pytest.raises(papermill.PapermillExecutionError, match="this report fails"):
            run_notebook("c.ipynb", output=out / "c.ipynb", parameters={})
        assert not _alive(int(first))  # the failed notebook's kernel was ended
        second, sees = _printed(run_notebook("b.ipynb", output=out / "b.ipynb", parameters={}))
        os.kill(int(second), signal.SIGKILL)  # a kernel that died between two notebooks
        deadline = time.monotonic() + 30
        while _alive(int(second)) and time.monotonic() < deadline:
            time.sleep(0.05)
        third, _ = _printed(run_notebook("b.ipynb", output=out / "b2.ipynb", parameters={}))
    assert len({first, second, third}) == 3 and kernel.kernels_started == 3
    assert sees == "False" and not _alive(int(third))
