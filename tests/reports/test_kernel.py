"""The report kernel: its own bytecode cache where bytecode may not be written, and a quiet
start on the operator's terminal."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from analytics.reports.kernel import kernel_environment


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
