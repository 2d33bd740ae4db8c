"""The bundled engine's lifecycle, against the real ArcadeDB server (no mocks).

Each test that breaks the engine on purpose has its own data directory; every engine started
here is stopped at the end (``stop`` is idempotent).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from healthgov.graph import engine

# A healthgov process that opens the store, writes and reads: run as a separate OS process.
CLIENT = """
import sys, json
from healthgov.graph.store import open_store
with open_store(data_dir=sys.argv[1]) as st:
    st.write("CREATE (n:Probe {id: $id})", {"id": sys.argv[2]})
    n = st.read("MATCH (n:Probe) RETURN count(n) AS n")[0]["n"]
    print(json.dumps({"uri": st.uri, "count": n}))
"""


def _gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not engine._alive(pid):
            return True
        time.sleep(0.1)
    return False


def _engine_pids(data: Path) -> list[int]:
    """Processes whose command line names this data dir (the supervisor and Java)."""
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if str(data) in cmd and ("healthgov.graph.supervisor" in cmd or "ArcadeDBServer" in cmd):
                out.append(int(p.name))
    return out


@pytest.fixture
def data_dir(tmp_path: Path):
    d = tmp_path / "data"
    yield d
    if d.exists():
        engine.stop(d)
    for pid in _engine_pids(d):  # never leave an engine behind, whatever the test did
        os.kill(pid, signal.SIGKILL)


def _interruptible(args: list[str]) -> subprocess.Popen[str]:
    """A child that a SIGINT interrupts, as Ctrl-C would, wherever the tests were started.

    A shell starting a background job (``&``, ``nohup``) sets SIGINT to "ignore", and an ignored
    signal stays ignored across exec: without the reset the child never sees the Ctrl-C.
    """
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _reap(proc: subprocess.Popen[str]) -> None:
    # A failed assertion must not leave the child behind, holding its pipes and the engine.
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def _query(conn: engine.Connection, cypher: str) -> list[dict]:
    with neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password)) as d:
        records, _, _ = d.execute_query(cypher, database_=conn.database)
        return [r.data() for r in records]


def test_start_state_password_and_stop(data_dir: Path) -> None:
    t0 = time.monotonic()
    conn = engine.ensure_engine(data_dir)
    startup = time.monotonic() - t0
    assert startup < 30, f"engine took {startup:.1f} s to start"
    assert conn.uri.startswith("bolt://127.0.0.1:") and conn.database == "kg"

    state = json.loads((data_dir / "engine.json").read_text())
    assert set(state) >= {"pid", "java_pid", "bolt_port", "http_port", "started_at"}
    assert conn.uri.endswith(f":{state['bolt_port']}")

    pw = data_dir / "engine.password"
    assert stat.S_IMODE(pw.stat().st_mode) == 0o600
    secret = pw.read_text().strip()
    assert len(secret) >= 24 and conn.password == secret and secret not in repr(conn)
    # The password never reaches a command line, the state file or the engine's logs.
    for pid in (state["pid"], state["java_pid"]):
        assert secret not in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    for f in data_dir.rglob("*"):
        if f.is_file() and f != pw and f.stat().st_size < 5_000_000:
            assert secret.encode() not in f.read_bytes(), f"password found in {f}"
    assert not (data_dir / "engine" / "jvm.args").exists()

    # Bolt only on loopback, the answer is a Neo4j-5-compatible server, the database is ours.
    with neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password)) as d:
        assert "Neo4j/5" in d.get_server_info().agent
    assert _query(conn, "RETURN 1 AS x") == [{"x": 1}]
    with pytest.raises(neo4j.exceptions.AuthError):
        with neo4j.GraphDatabase.driver(conn.uri, auth=("root", "wrong-password")) as d:
            d.verify_connectivity()

    # A second ensure reuses the running engine.
    again = engine.ensure_engine(data_dir)
    assert again.uri == conn.uri and engine.status(data_dir).pid == state["pid"]

    assert engine.stop(data_dir) is True
    assert _gone(state["pid"]) and _gone(state["java_pid"])
    assert not (data_dir / "engine.json").exists()
    assert engine.status(data_dir) is None
    assert engine.stop(data_dir) is False


def test_restart_after_engine_killed_while_idle(data_dir: Path) -> None:
    conn = engine.ensure_engine(data_dir)
    _query(conn, "CREATE (n:Probe {id: 'kept'})")
    state = engine.status(data_dir)
    assert state is not None
    os.kill(state.java_pid, signal.SIGKILL)
    assert _gone(state.java_pid)
    # The next command finds the engine dead and starts a new one on the same data.
    conn2 = engine.ensure_engine(data_dir)
    new = engine.status(data_dir)
    assert new is not None and new.java_pid != state.java_pid
    assert _query(conn2, "MATCH (n:Probe {id: 'kept'}) RETURN count(n) AS n") == [{"n": 1}]


def test_supervisor_killed_takes_java_down(data_dir: Path) -> None:
    engine.ensure_engine(data_dir)
    state = engine.status(data_dir)
    assert state is not None
    os.kill(state.pid, signal.SIGKILL)
    assert _gone(state.java_pid), "Java outlived its supervisor"
    assert engine.status(data_dir) is None  # stale state: not reported as running
    engine.ensure_engine(data_dir)
    assert engine.status(data_dir) is not None


def test_engine_dies_when_its_data_dir_is_removed(data_dir: Path) -> None:
    import shutil

    engine.ensure_engine(data_dir)
    state = engine.status(data_dir)
    assert state is not None
    shutil.rmtree(data_dir)
    assert _gone(state.pid) and _gone(state.java_pid)


def test_two_processes_share_one_engine(data_dir: Path) -> None:
    # Both start on a fresh data dir at the same moment: the lock makes it one engine.
    procs = [
        subprocess.Popen([sys.executable, "-c", CLIENT, str(data_dir), f"probe-{i}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    assert results[0]["uri"] == results[1]["uri"]
    state = engine.status(data_dir)
    assert state is not None and results[0]["uri"] == state.uri
    assert len(_engine_pids(data_dir)) == 2  # one supervisor, one Java
    conn = engine.ensure_engine(data_dir)
    assert _query(conn, "MATCH (n:Probe) RETURN count(n) AS n") == [{"n": 2}]
    for _, err in outs:
        assert conn.password not in err


def test_interrupted_command_leaves_engine_usable(data_dir: Path) -> None:
    # A command interrupted (Ctrl-C) after it used the engine: the shared engine stays up.
    proc = _interruptible([sys.executable, "-u", "-c", CLIENT + "\nimport time; time.sleep(60)\n", str(data_dir), "p"])
    try:
        assert json.loads(proc.stdout.readline())["count"] == 1  # it wrote and read: now interrupt it
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) != 0  # interrupted, not run to the end of its sleep
    finally:
        _reap(proc)
    assert engine.status(data_dir) is not None
    conn = engine.ensure_engine(data_dir)
    assert _query(conn, "MATCH (n:Probe) RETURN count(n) AS n") == [{"n": 1}]


def test_interrupted_start_leaves_no_orphan(data_dir: Path) -> None:
    # Ctrl-C while the engine is starting: either it finished starting (and is found, reusable,
    # stoppable) or it is gone; never a process that no state file names.
    proc = _interruptible([sys.executable, "-c", CLIENT, str(data_dir), "p"])
    try:
        deadline = time.monotonic() + 60
        while not (data_dir / "engine.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        _reap(proc)
    time.sleep(2)  # a supervisor told to stop takes a moment
    pids = _engine_pids(data_dir)
    state = engine.status(data_dir)
    if state is None:
        assert pids == []
    else:
        assert sorted(pids) == sorted([state.pid, state.java_pid])
