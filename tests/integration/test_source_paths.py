"""Source paths: the graph records a document's path relative to what ``healthgov build`` was
given, never the build machine's absolute path, and task-detail still finds the evidence under
a source root (the current directory, ``serve --sources``, ``HEALTHGOV_SOURCES``).

Real CLI subprocesses and ``healthgov serve`` against a fresh bundled engine.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
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
STORED_PATHS = "MATCH (n) WHERE n.source_path IS NOT NULL RETURN DISTINCT n.source_path AS p"


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "250", **extra}
    env.pop("NEO4J_URI", None)
    if "HEALTHGOV_SOURCES" not in extra:
        env.pop("HEALTHGOV_SOURCES", None)
    return env


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    res = subprocess.run([HEALTHGOV, *args], capture_output=True, text=True, timeout=300, env=_env(**env), cwd=cwd)
    assert res.returncode == 0, (args, res.stdout, res.stderr)
    return res


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A copy of the seeds at <root>/work/corpus, and a data dir for the engine."""
    root = tmp_path_factory.mktemp("sources")
    work = root / "work"
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    for f in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(f, corpus / f.name)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    data = root / "data"
    yield {"root": root, "work": work, "corpus": corpus, "elsewhere": elsewhere, "data": data}
    engine.stop(data)


def _stored(data: Path) -> set[str]:
    with open_store(data_dir=data) as store:
        return {r["p"] for r in store.read(STORED_PATHS)}


def _assert_relative(paths: set[str], root: Path, expected: set[str]) -> None:
    assert paths, "no source paths stored"
    for p in paths:
        assert not p.startswith("/") and str(root) not in p, p
    assert paths == expected


def _exported_paths(site: dict, tmp: Path) -> set[str]:
    """source_path values of every export a user hands on: CSV, JSON-LD and Turtle."""
    data, cwd = str(site["data"]), site["elsewhere"]
    run("export", "--format", "csv", "--out", str(tmp / "csv"), "--data-dir", data, cwd=cwd)
    found: set[str] = set()
    for f in (tmp / "csv").glob("*.csv"):
        with open(f, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                found |= {v for k, v in row.items() if k and k.split(":")[0] in ("source_path", "sourcePath") and v}
    jsonld = run("export", "--format", "jsonld", "--data-dir", data, cwd=cwd).stdout
    ttl = run("export", "--format", "ttl", "--data-dir", data, cwd=cwd).stdout
    for text in (jsonld, ttl):
        assert str(site["root"]) not in text  # no path of this machine anywhere in the RDF
    assert "corpus/" in jsonld and "corpus/" in ttl
    return found


def test_build_by_relative_and_absolute_path_stores_relative_paths(site: dict, tmp_path: Path) -> None:
    names = {f"corpus/{f.name}" for f in site["corpus"].iterdir()}
    run("build", "corpus", "--data-dir", str(site["data"]), cwd=site["work"])
    _assert_relative(_stored(site["data"]), site["root"], names)

    # The same directory named absolutely, from somewhere else: the same source paths.
    run("build", "--force", str(site["corpus"]), "--data-dir", str(site["data"]), cwd=site["elsewhere"])
    _assert_relative(_stored(site["data"]), site["root"], names)

    exported = _exported_paths(site, tmp_path)
    _assert_relative(exported, site["root"], names)

    # What an API client sees: /policies/{id} (policy-summary) and task-detail.
    res = run("query", "policies", "--format", "json", "--data-dir", str(site["data"]), cwd=site["elsewhere"])
    pid = next(r["policy_id"] for r in json.loads(res.stdout)["rows"] if r["loaded"])
    res = run("query", "policy-summary", "-p", f"policy={pid}", "--format", "json", "--data-dir", str(site["data"]),
              cwd=site["elsewhere"])
    assert json.loads(res.stdout)["rows"][0]["source_path"] in names


def test_single_file_is_recorded_by_its_name(site: dict) -> None:
    f = sorted(site["corpus"].iterdir())[0]
    data = site["root"] / "data-one"
    try:
        run("build", str(f), "--data-dir", str(data), cwd=site["elsewhere"])
        assert _stored(data) == {f.name}
    finally:
        engine.stop(data)


def _task_detail(site: dict, cwd: Path, **env: str) -> dict:
    data = str(site["data"])
    res = run("query", "who-leads", "--format", "json", "--data-dir", data, cwd=cwd, **env)
    task = json.loads(res.stdout)["rows"][0]["task_id"]
    res = run("query", "task-detail", "-p", f"task={task}", "--format", "json", "--data-dir", data, cwd=cwd, **env)
    return json.loads(res.stdout)["rows"][0]


def test_task_detail_reads_the_evidence_under_a_source_root(site: dict) -> None:
    if not _stored(site["data"]):
        run("build", "corpus", "--data-dir", str(site["data"]), cwd=site["work"])
    # From the directory the build ran in: found relative to it.
    here = _task_detail(site, site["work"])
    assert here["span_text"] and here["span_note"] is None
    # From elsewhere: no text, and a note that says how to fix it (without this machine's paths).
    lost = _task_detail(site, site["elsewhere"])
    assert lost["span_text"] is None
    assert "not found" in lost["span_note"] and "--sources" in lost["span_note"]
    assert "HEALTHGOV_SOURCES" in lost["span_note"] and str(site["root"]) not in lost["span_note"]
    # HEALTHGOV_SOURCES naming either the build's directory or the built directory itself.
    for root in (site["work"], site["corpus"]):
        found = _task_detail(site, site["elsewhere"], HEALTHGOV_SOURCES=str(root))
        assert found["span_text"] == here["span_text"] and found["span_note"] is None


def test_changed_source_file_is_named_not_misquoted(site: dict, tmp_path: Path) -> None:
    if not _stored(site["data"]):
        run("build", "corpus", "--data-dir", str(site["data"]), cwd=site["work"])
    # A copy of the tree in which every file changed: found, but not the bytes that were loaded.
    copy = tmp_path / "corpus"
    shutil.copytree(site["corpus"], copy)
    for f in copy.iterdir():
        f.write_text(f.read_text(encoding="utf-8") + "\n附:修订说明。\n", encoding="utf-8")
    changed = _task_detail(site, site["elsewhere"], HEALTHGOV_SOURCES=str(copy))
    assert changed["span_text"] is None and "changed since it was loaded" in changed["span_note"]
    # Another root holding the original: the one whose SHA-256 matches is the evidence.
    both = _task_detail(site, site["elsewhere"], HEALTHGOV_SOURCES=os.pathsep.join([str(copy), str(site["work"])]))
    assert both["span_text"] and both["span_note"] is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_sources_finds_the_evidence_and_policies_carry_no_machine_path(site: dict, tmp_path: Path) -> None:
    if not _stored(site["data"]):
        run("build", "corpus", "--data-dir", str(site["data"]), cwd=site["work"])
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        serve = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(site["data"]),
                                  "--sources", str(site["corpus"])],
                                 stdout=subprocess.DEVNULL, stderr=err, env=_env(), cwd=site["elsewhere"])
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and serve.poll() is None, log.read_text()
                time.sleep(0.2)
            rows = http.get("/policies", params={"limit": 100}).json()["rows"]
            pid = next(r["policy_id"] for r in rows if r["loaded"])
            policy = http.get(f"/policies/{pid}").json()
            assert policy["source_path"].startswith("corpus/") and str(site["root"]) not in json.dumps(policy)
            task = http.get("/queries/who-leads").json()["rows"][0]["task_id"]
            detail = http.get(f"/tasks/{task}").json()
            assert detail["span_text"] and detail["span_note"] is None
    finally:
        serve.terminate()
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(30)


def test_serve_refuses_a_sources_dir_that_is_not_one(site: dict) -> None:
    res = subprocess.run([HEALTHGOV, "serve", "--sources", str(site["root"] / "missing"), "--data-dir", str(site["data"])],
                         capture_output=True, text=True, timeout=60, env=_env(), cwd=site["elsewhere"])
    assert res.returncode == 2 and "--sources" in res.stderr and "not a directory" in res.stderr
