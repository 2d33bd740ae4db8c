"""The bundled engine's supervisor: ``python -m healthgov.graph.supervisor DATA_DIR BOLT_PORT HTTP_PORT``.

Started detached by ``healthgov.graph.engine``; see its docstring for why it exists. It runs
Java as a child that receives SIGTERM if the supervisor dies (even by SIGKILL), publishes the
state file, and shuts Java down when asked (SIGTERM/SIGINT/SIGHUP), when the state file no longer
names it (``engine stop``, the data directory removed), or exits when Java exits. Standard
library only, so it stays small and starts fast.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from healthgov.graph import engine

POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the forked child before exec: the kernel sends SIGTERM to Java when we die.
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _owns_state(data: Path) -> bool:
    state = engine.read_state(data)
    return state is not None and state.pid == os.getpid()


def _shutdown(java: subprocess.Popen[bytes]) -> int:
    if java.poll() is None:
        java.terminate()  # ArcadeDB's shutdown hook flushes and closes the database
        try:
            java.wait(engine.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            java.kill()
            java.wait()
    return java.returncode or 0


def main(argv: list[str]) -> int:
    data = Path(argv[0])
    bolt_port, http_port = int(argv[1]), int(argv[2])
    stop_requested = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, request_stop)

    java = subprocess.Popen(
        engine.java_command(data, bolt_port, http_port),
        cwd=data / engine.ENGINE_ROOT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
    )
    engine.write_state(
        data,
        engine.EngineState(
            pid=os.getpid(),
            java_pid=java.pid,
            bolt_port=bolt_port,
            http_port=http_port,
            started_at=time.time(),
            data_dir=str(data),
            version=engine.engine_version(),
        ),
    )
    try:
        while not stop_requested:
            try:
                java.wait(POLL_SECONDS)
                break  # Java exited on its own (crash, kill -9): the next command starts a new engine
            except subprocess.TimeoutExpired:
                pass
            if not _owns_state(data):
                break
        return _shutdown(java)
    finally:
        with contextlib.suppress(OSError):
            engine.remove_state_if(data, os.getpid())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
