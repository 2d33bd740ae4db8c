"""API limits and security over real HTTP on loopback, against the seed corpus in the bundled
engine: request size (413), paging bounds, Cypher that reads files, schemathesis over the
OpenAPI schema (no 5xx), a bounded load test (no errors, bounded memory growth), and the bundled
engine's exposure (loopback only, a 0600 password that never appears in output).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from healthgov.api.app import create_app
from healthgov.api.limits import DEFAULT_MAX_BODY_BYTES
from healthgov.api.tabular import MAX_LIMIT
from healthgov.graph import engine

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")


# One uvicorn-in-a-thread helper for every HTTP test module.
from views_server import _free_port  # noqa: E402
from views_server import serve as _serve  # noqa: E402


@pytest.fixture(scope="module")
def base(corpus_store) -> Iterator[str]:
    with _serve(create_app(corpus_store, cypher_timeout=3.0, cypher_row_cap=100)) as url:
        yield url


@pytest.fixture(scope="module")
def api(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as client:
        yield client


# --- limits ------------------------------------------------------------------------------------


def test_request_body_limit_is_413(api: httpx.Client) -> None:
    big = {"query": "RETURN 1 AS x", "parameters": {"pad": "x" * (DEFAULT_MAX_BODY_BYTES + 10)}}
    r = api.post("/cypher", json=big)
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"query": "RETURN 1 AS x", "parameters": {"pad": "'
        for _ in range(DEFAULT_MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}}'

    r = api.post("/cypher", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    # the service is fine afterwards, and a normal body still passes
    assert api.post("/cypher", json={"query": "RETURN 1 AS x"}).json()["rows"] == [{"x": 1}]


def test_paging_limits(api: httpx.Client) -> None:
    r = api.get("/policies", params={"limit": MAX_LIMIT + 1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "limit"]
    assert api.get("/policies", params={"offset": -1}).status_code == 422
    assert api.get("/policies", params={"limit": 0}).json()["rows"] == []
    far = api.get("/policies", params={"offset": 10**6})
    assert far.status_code == 200 and far.json()["rows"] == []
    r = api.post("/cypher", json={"query": "UNWIND range(1, 5000) AS i RETURN i"})
    assert r.json()["row_count"] == 100 and r.json()["truncated"] is True  # the row cap


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "load csv with headers from 'http://127.0.0.1/x.csv' as row return row",
        "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value",
        "CALL apoc.load.csv('/etc/passwd') YIELD map RETURN map",
        "CALL apoc.import.file('/etc/passwd')",
        "CALL apoc.cypher.runFile('/etc/passwd')",
        "CALL db.index.fulltext.queryNodes('x', 'y')",
        "MATCH (p:Policy) CALL apoc.load.jsonParams('file:///etc/passwd', {}, null) YIELD value RETURN value",
        "CALL dbms.listConfig()",
    ],
)
def test_cypher_cannot_read_files(api: httpx.Client, query: str) -> None:
    r = api.post("/cypher", json={"query": query})
    assert r.status_code == 403, r.text
    assert "not allowed" in r.json()["detail"]
    assert "root:" not in r.text


def test_schemathesis_finds_no_server_errors(base: str, tmp_path: Path) -> None:
    st = Path(sys.executable).parent / "st"
    if not st.exists():
        pytest.fail("schemathesis is part of the test extras: pip install -e '.[test]'")
    res = subprocess.run(
        [str(st), "run", f"{base}/openapi.json", "--checks", "not_a_server_error", "--max-examples", "15",
         "--seed", "8", "--request-timeout", "30", "--phases", "examples,coverage,fuzzing",
         "--suppress-health-check", "all"],
        capture_output=True, text=True, timeout=170, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-6000:]
    assert "Server error" not in out and "500 Internal" not in out


def test_bounded_loopback_load(base: str) -> None:
    """A few minutes of 8 concurrent clients over a mix of endpoints: no errors, memory stays flat.

    HEALTHGOV_LOAD_SECONDS sets the duration (default 150 s, bounded: the loop stops itself).
    """
    seconds = float(os.environ.get("HEALTHGOV_LOAD_SECONDS", "150"))
    assert base.startswith("http://127.0.0.1:")  # loopback only
    proc = psutil.Process()  # the server runs in this process (a thread)
    paths = ["/policies?limit=20", "/agencies?limit=50", "/queries/who-leads?limit=20", "/jurisdictions",
             "/targets?limit=20", "/health", "/vocab/topic", "/policies?limit=5&format=csv"]
    errors: list[str] = []
    counts = [0] * 8

    def worker(i: int, until: float) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            k = i
            while time.monotonic() < until:
                p = paths[k % len(paths)]
                k += 1
                try:
                    r = (c.post("/cypher", json={"query": "MATCH (t:Task) RETURN t.id AS id LIMIT 20"})
                         if k % 9 == 0 else c.get(p))
                    if r.status_code != 200:
                        errors.append(f"{p}: {r.status_code}")
                except httpx.HTTPError as e:
                    errors.append(f"{p}: {type(e).__name__}")
                counts[i] += 1

    # warm up (caches, pools), then measure
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: worker(i, time.monotonic() + 5), range(8)))
    rss0 = proc.memory_info().rss
    counts[:] = [0] * 8
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: worker(i, time.monotonic() + seconds), range(8)))
    rss1 = proc.memory_info().rss
    assert errors == []
    assert sum(counts) > 200, counts
    growth = (rss1 - rss0) / 2**20
    assert growth < 64, f"RSS grew {growth:.0f} MiB over {sum(counts)} requests"


# --- security ---------------------------------------------------------------------------------


def test_engine_listens_on_loopback_only(corpus_store) -> None:
    state = engine.read_state(corpus_store.data_dir)
    assert state is not None
    ours = {state.java_pid, state.pid}
    listening = [c for c in psutil.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN and c.pid in ours]
    ports = {c.laddr.port for c in listening}
    assert {state.bolt_port, state.http_port} <= ports, listening
    for c in listening:
        assert c.laddr.ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1"), f"engine listens on {c.laddr}"
    # and nothing answers on another interface of this host
    others = {a.address for addrs in psutil.net_if_addrs().values() for a in addrs
              if a.family == socket.AF_INET and not a.address.startswith("127.")}
    for ip in others:
        with socket.socket() as s:
            s.settimeout(1)
            assert s.connect_ex((ip, state.bolt_port)) != 0, f"bolt port reachable on {ip}"


def test_password_file_is_private_and_never_printed(corpus_store, tmp_path: Path) -> None:
    data = corpus_store.data_dir
    pw_file = data / engine.PASSWORD_FILE
    assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
    secret = pw_file.read_text(encoding="utf-8").strip()
    assert len(secret) >= 16
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NEO4J_URI", None)
    outputs = []
    for args in (["engine", "status"], ["engine", "start"], ["build", str(Path(__file__).resolve().parents[2] / "corpus")]):
        res = subprocess.run([HEALTHGOV, *args, "--data-dir", str(data)], capture_output=True, text=True, timeout=300,
                             env=env)
        assert res.returncode == 0, res.stderr
        outputs.append(res.stdout + res.stderr)
    port = _free_port()
    serve = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(data)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if c.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
            for r in (c.get("/health"), c.get("/openapi.json"), c.post("/cypher", json={"query": "RETURN 1 AS x"}),
                      c.post("/cypher", json={"query": "CALL dbms.showCurrentUser()"}),
                      c.post("/cypher", json={"query": "MATCH (p RETURN p"})):
                outputs.append(r.text + str(r.headers))
    finally:
        serve.terminate()
        outputs.append(serve.communicate(timeout=30)[0])
    logs = [p for p in data.rglob("*.log*") if p.is_file()] + [p for p in data.rglob("*") if p.suffix in (".out", ".txt")]
    for p in logs:
        outputs.append(p.read_text(encoding="utf-8", errors="replace"))
    for text in outputs:
        assert secret not in text
