"""A store that cannot be reached gets one clear line, not a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket goes


def test_build_against_an_unreachable_neo4j_says_so(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    env = {**os.environ, "NEO4J_PASSWORD": "not-a-real-password", "HEALTHGOV_DATA": str(tmp_path / "data")}
    r = subprocess.run([sys.executable, "-m", "healthgov.cli", "build", str(CORPUS), "--store", uri],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and uri in errors[0]
    assert "not-a-real-password" not in r.stdout + r.stderr
