"""``python -m deploy.worker``: a Prefect process worker that also serves ``/metrics``.

    python -m deploy.worker --pool encore --limit 2 --metrics-port 9102

Prometheus scrapes ``http://<worker>:9102/metrics``: the process's CPU, memory and open files
(``process_*``), Python's (``python_*``) and encore's registry (``encore_*``; per-run figures are
pushed by each flow run to the Pushgateway, see docs/operations.md). Everything after ``--`` is
passed to ``prefect worker start``. SIGINT (or SIGTERM) stops the worker: its polling loops are
cancelled, then the endpoint stops, exit code 0; a flow run under way is not waited for, so stop
a worker between runs;
SIGUSR1 writes every thread's stack to stderr (the worker's log) and the worker goes on, to see
where a worker that does not stop is waiting.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import signal
import sys

STACKS_SIGNAL = signal.SIGUSR1
INTERRUPTED_EXIT = 130  # what Prefect's CLI exits with once an interrupt stopped it


_interrupted: list[int] = []  # the signals received: a stop that was asked for exits 0


def _interrupt(signum: int, _frame: object) -> None:
    _interrupted.append(signum)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--pool", default="encore")
    parser.add_argument("--limit", type=int, default=2)
    parser.add_argument("--metrics-port", type=int, default=9102, help="0: any free port (printed)")
    parser.add_argument("--metrics-host", default="127.0.0.1", help="0.0.0.0 to be scraped from elsewhere")
    args, extra = parser.parse_known_args(argv)
    faulthandler.register(STACKS_SIGNAL, all_threads=True)
    from prometheus_client import PlatformCollector, ProcessCollector

    from analytics.observability import REGISTRY, serve_metrics

    for collector in (ProcessCollector, PlatformCollector):
        with contextlib.suppress(ValueError):  # already registered (called twice in one process)
            collector(registry=REGISTRY)
    server = serve_metrics(args.metrics_port, host=args.metrics_host)
    print(f"metrics on http://{args.metrics_host}:{server.server_port}/metrics", flush=True)
    from prefect.cli import app

    command = ["worker", "start", "--pool", args.pool, "--type", "process", "--limit", str(args.limit)]
    sys.argv = ["prefect", *command, *[a for a in extra if a != "--"]]  # Prefect's CLI reads argv
    # SIGINT interrupts the event loop itself. Otherwise asyncio turns it into a cancellation of
    # the CLI's main task, which the worker's task groups can absorb (the worker then polls on);
    # an interrupt makes asyncio cancel every task, the worker's loops included, and return.
    # Prefect's own handler (SIGTERM becomes SIGINT) forwards to this one.
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
        return 0 if _interrupted and code == INTERRUPTED_EXIT else code
    except KeyboardInterrupt:
        print("worker stopped", flush=True)
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
