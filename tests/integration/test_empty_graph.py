"""An empty graph and an empty input, through the real CLI (subprocesses, the bundled engine).

Before any build every command that reads the graph says so and exits 4, instead of printing
empty tables and files with status 0; ``serve`` starts and warns; ``build`` of a directory with
no documents names it and exits 1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import SEEDS

from healthgov.graph import engine
from healthgov.graph.store import open_store

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
EMPTY = "the graph is empty: run healthgov build PATH"
EXIT_EMPTY = 4


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "250"}
    env.pop("NEO4J_URI", None)
    return env


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HEALTHGOV, *args], capture_output=True, text=True, timeout=240, env=_env(), cwd=cwd)


@pytest.fixture(scope="module")
def empty_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("empty") / "data"
    yield data
    engine.stop(data)


# Each reads the graph; the output it would write is named so the test can check it was not.
READERS = {
    "query table": (["query", "policies"], None),
    "query json": (["query", "who-leads", "--format", "json"], None),
    "network": (["network", "summary", "--format", "csv"], None),
    "network graphml": (["network", "--format", "graphml", "--out", "{out}/net.graphml"], "net.graphml"),
    "export ttl": (["export", "--format", "ttl"], None),
    "export csv": (["export", "--format", "csv", "--out", "{out}/csv"], "csv"),
    "export graphml": (["export", "--format", "graphml", "--out", "{out}/g.graphml"], "g.graphml"),
    "view": (["view", "policy-network", "--out", "{out}/v.html"], "v.html"),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_reading_commands_name_the_empty_graph(empty_data: Path, tmp_path: Path, reader: str) -> None:
    args, written = READERS[reader]
    res = run(*(a.format(out=tmp_path) for a in args), "--data-dir", str(empty_data))
    assert res.returncode == EXIT_EMPTY, (res.returncode, res.stdout, res.stderr)
    assert EMPTY in res.stderr and str(empty_data) in res.stderr  # which graph: maybe not the one meant
    assert res.stdout.strip() == ""
    if written:
        assert not (tmp_path / written).exists()


def test_listing_needs_no_graph(tmp_path: Path) -> None:
    # Nothing read from the graph, so nothing to refuse, and no engine started for it.
    res = run("query", "--list", "--data-dir", str(tmp_path / "data"))
    assert res.returncode == 0 and "task-detail" in res.stdout
    assert not (tmp_path / "data" / engine.STATE_FILE).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_an_empty_graph_starts_and_warns(empty_data: Path, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        serve = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(empty_data)],
                                 stdout=subprocess.DEVNULL, stderr=err, env=_env())
    try:
        deadline, health = time.monotonic() + 90, None
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            while time.monotonic() < deadline and serve.poll() is None:
                try:
                    health = http.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert health is not None and health.status_code == 200, log.read_text()
            assert health.json()["store"]["counts"]["Policy"] == 0
        assert f"warning: {EMPTY}" in log.read_text()
    finally:
        serve.terminate()
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(30)


def test_placeholder_policies_alone_are_still_empty(tmp_path: Path) -> None:
    # A policy known only from a citation has no document behind it: nothing to answer about.
    data = tmp_path / "data"
    try:
        with open_store(data_dir=data) as store:
            store.write("CREATE (:Policy {id: 'cited-only', loaded: false, title: '某文件'})")
        res = run("query", "policies", "--data-dir", str(data))
        assert res.returncode == EXIT_EMPTY and EMPTY in res.stderr
    finally:
        engine.stop(data)


def test_build_of_no_documents_names_the_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = tmp_path / "notes"
    (notes / ".hidden").mkdir(parents=True)
    (notes / ".hidden" / "x.txt").write_text(SEEDS.joinpath(sorted(os.listdir(SEEDS))[0]).read_text("utf-8"))
    (notes / "README.md").write_text("# notes\n")
    (notes / "meta.json").write_text("{}\n")
    data = tmp_path / "data"
    for d in (empty, notes):
        res = run("build", str(d), "--data-dir", str(data))
        assert res.returncode == 1, (res.stdout, res.stderr)
        line = next(ln for ln in res.stderr.splitlines() if str(d) in ln)
        assert "no documents found" in line and ".txt" in line and ".docx" in line, line
    # Refused before any engine was started for it: there was nothing to load.
    assert not (data / engine.STATE_FILE).exists()


def test_build_with_one_empty_directory_loads_the_rest_and_fails(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = next(p for p in sorted(SEEDS.iterdir()) if p.suffix == ".txt")
    (docs / seed.name).write_bytes(seed.read_bytes())
    empty = tmp_path / "empty"
    empty.mkdir()
    data = tmp_path / "data"
    try:
        res = run("build", str(docs), str(empty), "--data-dir", str(data))
        assert res.returncode == 1, (res.stdout, res.stderr)
        assert "Documents: 1 loaded" in res.stdout
        assert f"FAILED {empty}: no documents found" in res.stderr.replace("\n", " ")
        # The graph is no longer empty: the readers answer.
        res = run("query", "policies", "--format", "json", "--data-dir", str(data))
        assert res.returncode == 0 and EMPTY not in res.stderr, res.stderr
    finally:
        engine.stop(data)
