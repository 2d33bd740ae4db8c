"""Crashes and lost connections, for real: ``kill -9`` of a running ``healthgov build``, of the
bundled engine under a running ``healthgov serve``, and a Bolt connection cut in the middle of a
document's transaction (through a loopback TCP proxy). Afterwards the graph holds whole documents
only, and the service answers 503 while the engine is away and recovers when it is back.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import SEEDS

from healthgov.extract.pipeline import extract_file, extract_paths
from healthgov.graph import engine
from healthgov.graph.store import open_store
from healthgov.loaders.load import Loader
from healthgov.queries.cache import DEFAULT_TTL_MS
from healthgov.records import DocumentRecord

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
PER_DOC = ("MATCH (p:Policy) WHERE p.loaded = true OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task) "
           "RETURN p.id AS id, count(t) AS n")


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    return env


def generated_policy(n: int, parts: int = 6, tasks: int = 50) -> str:
    cn = "一二三四五六七八九十"
    out = [f"某市人民政府办公室关于印发第{n}号卫生健康工作方案的通知\n某政办发〔2024〕{n}号\n各区县人民政府,市政府各部门:\n"]
    for s in range(parts):
        out.append(f"{cn[s]}、第{s + 1}方面重点任务\n")
        out += [f"{t}.推进第{s + 1}-{t}项重点工作。加强基层医疗卫生机构能力建设,提升服务水平。"
                "(责任单位:市卫生健康委、市财政局)\n" for t in range(1, tasks + 1)]
    return "".join(out)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("faults")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    for n in range(1, 13):  # enough documents that a build is still loading when it is killed
        (corpus / f"gen_{n:02d}.txt").write_text(generated_policy(n), encoding="utf-8")
    expected = {r.policy.id: len(r.tasks) for r in extract_paths([corpus]) if isinstance(r, DocumentRecord)}
    data = root / "data"
    engine.ensure_engine(data)  # the test owns the engine: killing a build does not take it down
    store = open_store(data_dir=data)
    yield {"root": root, "corpus": corpus, "data": data, "store": store, "expected": expected}
    store.close()
    engine.stop(data)


def whole_documents(store, expected: dict[str, int]) -> dict[str, int]:
    """Loaded policies → task counts, asserting each loaded document is whole."""
    seen = {r["id"]: r["n"] for r in store.read(PER_DOC)}
    for pid, n in seen.items():
        assert pid in expected and n == expected[pid], f"half-loaded document {pid}: {n} of {expected.get(pid)} tasks"
    return seen


def test_kill_9_build_then_build_again(env) -> None:
    store, expected = env["store"], env["expected"]
    # Two documents per transaction: several commits, so the kill lands between two of them.
    proc = subprocess.Popen([HEALTHGOV, "build", str(env["corpus"]), "--data-dir", str(env["data"]), "--batch-docs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if store.read("MATCH (p:Policy) WHERE p.loaded = true RETURN count(p) AS n")[0]["n"] >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the build finished before it could be killed: add documents"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    loaded = whole_documents(store, expected)
    assert 1 <= len(loaded) < len(expected), loaded

    res = subprocess.run([HEALTHGOV, "build", str(env["corpus"]), "--data-dir", str(env["data"])],
                         capture_output=True, text=True, timeout=300, env=_env())
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"{len(expected) - len(loaded)} loaded, {len(loaded)} unchanged" in res.stdout
    assert whole_documents(store, expected) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(fn, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except httpx.TransportError as e:
            last = e
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def test_engine_killed_under_serve_gives_503_then_recovers(env) -> None:
    data = env["data"]
    port = _free_port()
    serve = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(data)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_env(), text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            _wait(lambda: http.get("/health").status_code == 200, 60, "serve")
            before = http.get("/policies", params={"limit": 100}).json()
            assert before["total"] >= 5

            state = engine.read_state(data)
            assert state is not None
            os.kill(state.java_pid, signal.SIGKILL)
            _wait(lambda: engine.status(data) is None, 30, "the engine to be gone")
            # The query cache may answer from what it read until its TTL runs out (docs/api.md,
            # "Caching and freshness"); past it, every request finds the store gone.
            time.sleep(DEFAULT_TTL_MS / 1000 + 0.2)

            for path in ("/policies", "/health", "/agencies"):
                r = http.get(path)
                assert r.status_code == 503, (path, r.status_code, r.text)
                assert "not reachable" in r.json()["detail"]
            r = http.post("/cypher", json={"query": "MATCH (p:Policy) RETURN count(p) AS n"})
            assert r.status_code == 503, r.text
            password = (data / engine.PASSWORD_FILE).read_text(encoding="utf-8").strip()
            assert password not in r.text

            # The engine back (on a new port): the running service follows it, no restart needed.
            res = subprocess.run([HEALTHGOV, "engine", "start", "--data-dir", str(data)], capture_output=True,
                                 text=True, timeout=120, env=_env())
            assert res.returncode == 0, res.stderr
            assert password not in res.stdout + res.stderr
            after = _wait(lambda: (r := http.get("/policies", params={"limit": 100})).status_code == 200 and r.json(),
                          30, "recovery")
            assert after["total"] == before["total"] and after["rows"] == before["rows"]
    finally:
        serve.terminate()
        out, _ = serve.communicate(timeout=30)
    password = (data / engine.PASSWORD_FILE).read_text(encoding="utf-8").strip()
    assert password not in out


class CuttingProxy:
    """A loopback TCP proxy that drops every connection when ``marker`` goes upstream after
    ``arm()``: with a marker from the second batch of a document's tasks, the connection is lost
    in the middle of that document's transaction."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.marker: bytes | None = None
        self.cuts = 0
        self.refuse = False
        self.socks: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, marker: str) -> None:
        with self.lock:
            self.marker = marker.encode("utf-8")

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.socks += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, upstream: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if upstream:
                    with self.lock:
                        cut = self.marker is not None and self.marker in chunk
                    if cut:
                        self.cut()
                        return
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        with self.lock:
            self.cuts += 1
            self.marker = None
            socks, self.socks = self.socks, []
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()
        self.cut()


# Text of the last of 990 tasks: sent in the second batch, after the first one was written.
LAST_TASK = "推进第10-99项重点工作"


def test_connection_lost_mid_load(env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, store, expected = env["data"], env["store"], env["expected"]
    state = engine.read_state(data) or engine.status(data)
    assert state is not None
    proxy = CuttingProxy(state.bolt_port)
    monkeypatch.setenv("NEO4J_USER", engine.USER)
    monkeypatch.setenv("NEO4J_PASSWORD", engine.password(data))
    monkeypatch.setenv("NEO4J_DATABASE", engine.DATABASE)
    big = tmp_path / "big.txt"
    big.write_text(generated_policy(99, parts=10, tasks=99), encoding="utf-8")
    rec = extract_file(big)
    assert len(rec.tasks) == 990
    before = whole_documents(store, expected)
    try:
        via = open_store(f"bolt://127.0.0.1:{proxy.port}")
        try:
            # 1. Cut once mid-transaction, connections accepted again: the driver retries the
            # whole transaction, and the document is there whole.
            via.read("RETURN 1 AS x")
            proxy.arm(LAST_TASK)
            result = Loader(via).load(rec)
            assert proxy.cuts == 1 and result.status == "loaded"
            rows = store.read("MATCH (p:Policy {id: $id})-[:HAS_TASK]->(t:Task) RETURN count(t) AS n", {"id": rec.policy.id})
            assert rows == [{"n": 990}]
            store.write("MATCH (p:Policy {id: $id})-[:HAS_TASK]->(t:Task) DETACH DELETE t", {"id": rec.policy.id})
            store.write("MATCH (p:Policy {id: $id}) DETACH DELETE p", {"id": rec.policy.id})
        finally:
            via.close()

        # 2. Cut for good in the middle of a build: one clear FAILED line, no trace of the document.
        (tmp_path / "in").mkdir()
        shutil.copy(big, tmp_path / "in" / "big.txt")
        proxy.refuse = False
        proxy.arm(LAST_TASK)

        def refuse_after_cut() -> None:
            while proxy.cuts < 2:
                time.sleep(0.01)
            proxy.refuse = True

        threading.Thread(target=refuse_after_cut, daemon=True).start()
        env_vars = {**_env(), "NEO4J_USER": engine.USER, "NEO4J_PASSWORD": engine.password(data),
                    "NEO4J_DATABASE": engine.DATABASE}
        res = subprocess.run([HEALTHGOV, "build", str(tmp_path / "in"), "--store", f"bolt://127.0.0.1:{proxy.port}"],
                             capture_output=True, text=True, timeout=180, env=env_vars)
        out = res.stdout + res.stderr
        assert res.returncode != 0, out
        assert "Traceback" not in out, out
        assert res.returncode == 2 and proxy.cuts == 2, out
        failed = [ln for ln in out.splitlines() if ln.startswith("FAILED ")]
        assert failed == [f"FAILED {tmp_path}/in/big.txt: connection to the graph store lost (ServiceUnavailable); "
                          "rolled back, nothing of this document was loaded"], out
        assert f"error: lost the graph store at bolt://127.0.0.1:{proxy.port}" in out
        assert engine.password(data) not in out
    finally:
        proxy.close()
    assert store.read("MATCH (p:Policy {id: $id}) RETURN count(p) AS n", {"id": rec.policy.id}) == [{"n": 0}]
    assert whole_documents(store, expected) == before
