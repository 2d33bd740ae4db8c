"""Every Cypher statement the project sends is checked by Neo4j's own language service.

No Neo4j runs here, so the bundled engine (ArcadeDB) would happily accept Cypher that Neo4j 5
refuses or deprecates. The whole tool runs once with ``HEALTHGOV_CYPHER_LOG`` set (the real CLI
and ``healthgov serve`` as subprocesses, on the real bundled engine), which records every
distinct statement it sends through the driver, including the ones built at run time; those,
plus every ``healthgov/queries/*.cypher`` file, go through ``tests/cypher_lint/lint.mjs``
(``@neo4j-cypher/language-support``: the Neo4j grammar and semantic analysis, as Cypher 5).
Node and ``make cypher-lint`` (``npm ci`` in tests/cypher_lint) are prerequisites of ``make test``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tests" / "cypher_lint"
CLI = str(Path(sys.executable).parent / "healthgov")  # the venv's console script: the real CLI
PHASES = ("build", "rebuild", "rebuild-changed", "queries", "export", "network", "views", "api")


def lint(statements: list[str]) -> list[dict]:
    node = shutil.which("node")
    assert node, "node is not installed: the Cypher linter runs on Node (see docs/graph.md)"
    assert (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), (
        "the Cypher linter is not installed: run `make cypher-lint` (npm ci in tests/cypher_lint)")
    proc = subprocess.run([node, str(LINTER / "lint.mjs")], input=json.dumps(statements), capture_output=True,
                          text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, f"lint.mjs failed ({proc.returncode}):\n{proc.stderr}"
    results = json.loads(proc.stdout)
    assert [r["statement"] for r in results] == statements
    return results


def _run(args: list[str], log: Path, data_dir: Path, **extra: str) -> str:
    env = {**os.environ, "HEALTHGOV_CYPHER_LOG": str(log), "HEALTHGOV_DATA": str(data_dir), **extra}
    proc = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert proc.returncode == 0, f"healthgov {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _query_json(name: str, params: dict[str, str], log: Path, data_dir: Path, **extra: str) -> list[dict]:
    args = ["query", name, "--format", "json"]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    return json.loads(_run(args, log, data_dir, **extra))["rows"]


def _edit_one_document(corpus: Path) -> Path:
    """Drop one paragraph from the middle of a document: its tasks change, so it is reloaded."""
    for path in sorted(corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        long = [i for i, line in enumerate(lines) if len(line) > 80]
        if len(long) >= 5:
            del lines[long[len(long) // 2]]
            path.write_text("\n".join(lines), encoding="utf-8")
            return path
    raise AssertionError(f"no document in {corpus} long enough to edit")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api_phase(log: Path, data_dir: Path, values: dict[str, str]) -> None:
    """``healthgov serve`` as a subprocess; every GET route of its OpenAPI document, with defaults."""
    from healthgov.visualize.registry import VIEWS

    port = _free_port()
    env = {**os.environ, "HEALTHGOV_CYPHER_LOG": str(log), "HEALTHGOV_DATA": str(data_dir)}
    # The response cache is off so that every route reaches the graph, whatever its order here.
    proc = subprocess.Popen([CLI, "serve", "--port", str(port), "--no-cache"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, f"healthgov serve exited ({proc.returncode}):\n{proc.stdout.read()}"
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "healthgov serve did not answer /health in 120 s"
                time.sleep(0.2)
            paths = client.get("/openapi.json").json()["paths"]
            fill = {**values,
                    "scheme": [s["scheme"] for s in client.get("/vocab").json()],
                    "name": sorted(VIEWS)}
            failures = []
            for path, ops in paths.items():
                if "get" not in ops:
                    continue
                urls = [path]
                query: dict[str, str] = {}
                for p in ops["get"].get("parameters", []):
                    if p["in"] == "path":
                        choices = fill.get(p["name"])
                        assert choices, f"GET {path}: no value known for path parameter {p['name']}"
                        choices = choices if isinstance(choices, list) else [choices]
                        urls = [u.replace("{" + p["name"] + "}", str(c)) for u in urls for c in choices]
                    elif p.get("required"):
                        assert p["name"] in fill, f"GET {path}: no value known for required parameter {p['name']}"
                        query[p["name"]] = fill[p["name"]]
                for url in urls:
                    r = client.get(url, params=query)
                    if r.status_code != 200:
                        failures.append(f"GET {url} {query}: {r.status_code} {r.text[:300]}")
            # A browser's evidence pages read more than the JSON of the same URL (queries/document.py).
            for url in (f"/policies/{values['policy_id']}", f"/tasks/{values['task_id']}"):
                r = client.get(url, headers={"Accept": "text/html"})
                if r.status_code != 200 or not r.headers["content-type"].startswith("text/html"):
                    failures.append(f"GET {url} as a browser: {r.status_code} {r.text[:300]}")
            assert not failures, "\n".join(failures)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Run the whole tool with the statement log on, one log per phase; the statements of each."""
    from healthgov.graph import engine
    from healthgov.network.tables import TABLES
    from healthgov.queries import registry
    from healthgov.visualize.registry import VIEWS

    tmp = tmp_path_factory.mktemp("cypher_lint")
    data_dir = tmp / "data"
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    logs = {phase: tmp / f"{phase}.jsonl" for phase in PHASES}
    try:
        out = _run(["build", str(corpus)], logs["build"], data_dir)
        assert re.search(r"\b[1-9]\d* loaded\b", out), out
        out = _run(["build", str(corpus), "--counts"], logs["rebuild"], data_dir)
        assert re.search(r"\b0 loaded\b", out), out
        _edit_one_document(corpus)
        out = _run(["build", str(corpus)], logs["rebuild-changed"], data_dir)
        assert re.search(r"\b1 loaded\b", out), out
        # Every document replaced one transaction at a time: the loader's other path.
        _run(["build", str(corpus), "--force", "--batch-docs", "1"], logs["rebuild-changed"], data_dir)

        log = logs["queries"]
        policy = _query_json("policies", {"loaded": "true"}, log, data_dir)[0]["policy_id"]
        leads = _query_json("who-leads", {"role": "any"}, log, data_dir)
        lead = next(r for r in leads if r["agency_type"] and r["jurisdiction"])
        summary = _query_json("policy-summary", {"policy": lead["policy_id"]}, log, data_dir)[0]
        values = {"policy": policy, "policy_id": policy, "task": lead["task_id"], "task_id": lead["task_id"],
                  "agency_type": lead["agency_type"], "phrase": "医疗", "jurisdiction": lead["jurisdiction"],
                  "level": lead["level"], "topic": summary["topics"][0].split(":")[0]}
        for name in registry.names():
            spec = registry.get(name)
            required = {p.name: values[p.name] for p in spec.params if p.required}
            _query_json(name, required, log, data_dir)
            # Filtered: every optional filter a named query has that takes a known value here.
            filtered = {p.name: values[p.name] for p in spec.params if not p.required and p.name in values}
            if filtered:
                _query_json(name, {**required, **filtered}, log, data_dir)
            if spec.kept:  # answered from kept answers by default: the query itself, as a graph without them runs it
                _query_json(name, required, log, data_dir, HEALTHGOV_KEPT="0")
        _query_json("co-responsibility", {"pooled": "true", "group_by": "agency_type", "role": "lead"}, log, data_dir)
        _query_json("policy-lineage", {"policy": policy, "direction": "down", "relation": "cites"}, log, data_dir)
        _query_json("policies", {"level": "city", "loaded": "false"}, log, data_dir)
        _query_json("compare-targets", {"text": "医", "year": "2025"}, log, data_dir)

        for fmt in ("ttl", "jsonld", "graphml", "csv"):
            _run(["export", "--format", fmt, "--out", str(tmp / f"export-{fmt}")], logs["export"], data_dir)

        for what in TABLES:
            _run(["network", what, "--format", "json"], logs["network"], data_dir)
        # The filters change the statements the network sends (they are built at run time).
        for filters in (["--jurisdiction", values["jurisdiction"], "--agency-type", values["agency_type"]],
                        ["--topic", values["topic"], "--level", values["level"], "--pooled"],
                        ["--policy", lead["policy_id"], "--explicit-only"]):
            _run(["network", "measures", *filters], logs["network"], data_dir)
        _run(["network", "--format", "graphml", "--out", str(tmp / "net.graphml")], logs["network"], data_dir)
        _run(["network", "--format", "graphml", "--bipartite", "--out", str(tmp / "bi.graphml")], logs["network"],
             data_dir)

        view_values = {**values, "relation": "all", "size_by": "betweenness", "min_shared": "2"}
        for name, spec in VIEWS.items():
            _run(["view", name, "--out", str(tmp / f"{name}.html")], logs["views"], data_dir)
            params = [f"{k}={view_values[k]}" for k in spec.params if k in view_values]
            if params:
                _run(["view", name, "--out", str(tmp / f"{name}-filtered.html"),
                      *[a for p in params for a in ("-p", p)]], logs["views"], data_dir)

        _api_phase(logs["api"], data_dir, values)
    finally:
        engine.stop(data_dir)

    recorded: dict[str, list[str]] = {}
    for phase, path in logs.items():
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        recorded[phase] = list(dict.fromkeys(json.loads(line)["statement"] for line in lines))
    return recorded


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_recorded_its_statements(recorded: dict[str, list[str]], phase: str) -> None:
    # An empty log would make the lint below vacuous: each phase must have sent Cypher.
    assert recorded[phase], f"nothing recorded during {phase}"


def test_the_log_holds_what_each_phase_sends(recorded: dict[str, list[str]]) -> None:
    from healthgov.graph import version
    from healthgov.queries import registry

    # The version counter of every write transaction, and the named queries as they are sent.
    assert version.BUMP in recorded["build"]
    assert version.BUMP in recorded["rebuild-changed"]
    sent = set(recorded["queries"]) | set(recorded["api"])
    missing = [n for n in registry.names() if registry.get(n).cypher not in sent]
    assert not missing, f"named queries never recorded: {missing}"


def test_every_statement_passes_the_neo4j_language_service(recorded: dict[str, list[str]]) -> None:
    where: dict[str, list[str]] = {}
    for phase, statements in recorded.items():
        for s in statements:
            where.setdefault(s, []).append(phase)
    # The named queries, their grouped forms (kept/) and their count statements (counts/).
    for path in sorted((ROOT / "healthgov" / "queries").rglob("*.cypher")):
        where.setdefault(path.read_text(encoding="utf-8"), []).append(str(path.relative_to(ROOT)))
    # The examples readers copy from the documentation are held to the same standard.
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        for block in re.findall(r"^```cypher\n(.*?)^```", text, flags=re.M | re.S):
            where.setdefault(block, []).append(str(path.relative_to(ROOT)))
    statements = list(where)
    offending = []
    for result in lint(statements):
        bad = [d for d in result["diagnostics"] if d["severity"] == "error" or d["deprecated"]]
        if bad:
            s = result["statement"]
            notes = "\n".join(f"  {d['severity']}{' (deprecated)' if d['deprecated'] else ''}: {d['message']}"
                              f" at {d['start']}: {s[d['start']:d['end']][:80]!r}" for d in bad)
            offending.append(f"[{', '.join(where[s])}]\n{s}\n{notes}")
    assert not offending, f"{len(offending)} of {len(statements)} statements fail Neo4j 5:\n\n" + "\n\n".join(offending)


def test_the_linter_reports_what_neo4j_5_refuses_or_deprecates() -> None:
    # The check above passes only if the linter can fail: a deprecated form and a semantic error.
    deprecated, wrong, fine = lint([
        "MATCH (p:Policy) CALL { WITH p MATCH (p)-->(x) RETURN count(x) AS n } RETURN p.id, n",
        "MATCH (a:Agency) WITH DISTINCT a.name AS name ORDER BY a.level RETURN name",
        "MATCH (p:Policy {id: $id}) CALL (p) { MATCH (p)-->(x) RETURN count(x) AS n } RETURN p.id, n",
    ])
    assert any(d["deprecated"] and d["severity"] == "warning" for d in deprecated["diagnostics"]), deprecated
    assert any(d["severity"] == "error" for d in wrong["diagnostics"]), wrong
    assert fine["diagnostics"] == []  # and $id, a parameter never declared here, is not an error


def test_the_statement_log_costs_nothing_when_unset() -> None:
    # Unset, the driver's run methods are the driver's own: no wrapper on any statement's path.
    code = ("import neo4j, healthgov.graph.store; "
            "print(any(hasattr(c.run, '_healthgov_unlogged') for c in "
            "(neo4j.Session, neo4j.Transaction, neo4j.ManagedTransaction)))")
    env = {k: v for k, v in os.environ.items() if k != "HEALTHGOV_CYPHER_LOG"}
    unset = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    on = subprocess.run([sys.executable, "-c", code], env={**env, "HEALTHGOV_CYPHER_LOG": os.devnull},
                        capture_output=True, text=True, timeout=120)
    assert (unset.stdout.strip(), on.stdout.strip()) == ("False", "True"), (unset.stderr, on.stderr)
