"""The bundled graph engine: an ArcadeDB server speaking Bolt, one per data directory.

Lifecycle (why it looks like this):

- The engine is a *shared, long-lived* process: a ``healthgov serve`` and a ``healthgov build``
  running at the same time talk to the same engine, because ArcadeDB lets only one process open a
  database directory. So it is started detached (own session: a Ctrl-C in the terminal of the
  command that happened to start it does not kill it) and found by every later command through
  ``{data}/engine.json``.
- It is not a bare Java process but a small Python supervisor (``healthgov.graph.supervisor``)
  that runs Java as its child with a parent-death signal. The supervisor writes the state file,
  removes it when Java exits, and stops Java when the state file disappears (the data directory
  was removed, or ``engine stop`` ran). So the engine lives until ``healthgov engine stop``, the
  removal of its data directory, or a reboot, and is never left running without a state file
  that names it.
- Starting is serialised by an ``fcntl`` lock on ``{data}/engine.lock``: two commands starting at
  once start one engine. A state file whose processes are gone, or whose port does not answer,
  is stale: the engine is started again, transparently.
- The root password is generated here (``secrets``), kept in ``{data}/engine.password`` (0600)
  and handed to Java through an argument file (0600, deleted once the engine is up) rather
  than on the command line, where any local user could read it in ``ps``.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

DATABASE = "kg"
USER = "root"
STATE_FILE = "engine.json"
LOCK_FILE = "engine.lock"
PASSWORD_FILE = "engine.password"
ENGINE_ROOT = "engine"  # ArcadeDB's server root: config/, databases/, log/, backups/
ARGS_FILE = "jvm.args"
CONSOLE_LOG = "console.log"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0

# Wire protocols and plugins the wheel ships but we do not use: leaving their jars off the
# classpath is the only way to keep the MCP plugin from being auto-discovered and started.
_UNUSED_JARS = ("arcadedb-mcp-", "arcadedb-postgresw-", "arcadedb-redisw-", "arcadedb-graphql-")


class EngineError(RuntimeError):
    """The bundled engine could not be started, reached or stopped."""


NOT_INSTALLED = ("the bundled engine is not installed: pip install 'healthgov[bundled]', "
                 "or set NEO4J_URI to a Neo4j 5 server")


class EngineNotInstalled(SystemExit):
    """The optional ``bundled`` extra (arcadedb-embedded) is missing.

    A SystemExit, not an EngineError: every command that needs the engine reaches it through
    ``ensure_engine``, not all of them catch EngineError, and none could do more than print this
    one line and stop; exiting here keeps that true for every command, present and future.
    """

    def __init__(self) -> None:
        super().__init__(f"error: {NOT_INSTALLED}")


@dataclass(frozen=True, slots=True)
class EngineState:
    pid: int  # the supervisor
    java_pid: int
    bolt_port: int
    http_port: int
    started_at: float
    data_dir: str
    version: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True, slots=True)
class Connection:
    """What a driver needs to reach an engine. ``repr`` hides the password."""

    uri: str
    user: str
    password: str
    database: str

    def __repr__(self) -> str:
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``data_dir``, else ``$HEALTHGOV_DATA``, else ``./data``; made absolute (the engine's cwd differs)."""
    raw = data_dir if data_dir is not None else os.environ.get("HEALTHGOV_DATA", "data")
    return Path(raw).expanduser().resolve()


# --- files -------------------------------------------------------------------------------


def _write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_state(data: Path, state: EngineState) -> None:
    _write_atomic(data / STATE_FILE, json.dumps(asdict(state), indent=2) + "\n")


def read_state(data: Path) -> EngineState | None:
    try:
        raw = json.loads((data / STATE_FILE).read_text(encoding="utf-8"))
        return EngineState(**raw)
    except (OSError, ValueError, TypeError):
        return None


def remove_state_if(data: Path, pid: int) -> None:
    """Remove the state file only if it still names ``pid`` (a newer engine may own it)."""
    state = read_state(data)
    if state is not None and state.pid == pid:
        with contextlib.suppress(FileNotFoundError):
            (data / STATE_FILE).unlink()


def password(data: Path) -> str:
    """The engine's root password, created on first use. Never printed or logged."""
    path = data / PASSWORD_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    data.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(24)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its password
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret + "\n")
    # ArcadeDB creates the root user once, from the password it is started with. With the old
    # password lost, forget the old users so root is created again with the new one.
    with contextlib.suppress(FileNotFoundError):
        (data / ENGINE_ROOT / "config" / "server-users.jsonl").unlink()
    return secret


@contextlib.contextmanager
def _locked(data: Path) -> Iterator[None]:
    data.mkdir(parents=True, exist_ok=True)
    with open(data / LOCK_FILE, "a+") as fh:  # opened close-on-exec: the engine never inherits it
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- processes ---------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        # Our own child (the command that started the engine) stays a zombie until reaped.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _is_ours(pid: int, data: Path) -> bool:
    """Whether ``pid`` is still this data dir's supervisor or engine (pids get reused)."""
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return True  # no /proc: trust the pid
    return str(data) in cmdline


def _port_open(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _package_dir() -> Path:
    # Located without importing it: importing arcadedb_embedded loads JPype for nothing.
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise EngineNotInstalled()
    return Path(next(iter(spec.submodule_search_locations)))


def engine_version() -> str:
    try:
        from importlib.metadata import version

        return version("arcadedb-embedded")
    except Exception:  # noqa: BLE001 - only informative
        return "unknown"


def java_command(data: Path, bolt_port: int, http_port: int) -> list[str]:
    """The Java command line of the engine (no secrets in it: those are in the argument file)."""
    pkg = _package_dir()
    java = pkg / "jre" / "bin" / "java"
    jars = sorted(p for p in (pkg / "jars").glob("*.jar") if not p.name.startswith(_UNUSED_JARS))
    if not java.exists() or not jars:
        raise EngineError(f"arcadedb-embedded at {pkg} has no bundled Java runtime or jars")
    root = data / ENGINE_ROOT
    extra = os.environ.get("HEALTHGOV_ENGINE_JAVA_OPTS", "").split()
    return [
        str(java),
        f"@{root / ARGS_FILE}",
        # the flags arcadedb_embedded itself starts its JVM with
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF8",
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        *extra,
        "-cp",
        os.pathsep.join(str(p) for p in jars),
        f"-Darcadedb.server.rootPath={root}",
        f"-Darcadedb.server.configDirectory={root / 'config'}",
        f"-Darcadedb.server.logsDirectory={root / 'log'}",
        f"-Darcadedb.server.backupDirectory={root / 'backups'}",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={bolt_port}",
        f"-Darcadedb.bolt.defaultDatabase={DATABASE}",
        # HTTP cannot be turned off; keep it on loopback and off the well-known 2480.
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
        "com.arcadedb.server.ArcadeDBServer",
    ]


# --- lifecycle ---------------------------------------------------------------------------


def status(data_dir: str | os.PathLike[str] | None = None) -> EngineState | None:
    """The running engine of this data dir, or None (no state file, or a stale one)."""
    data = resolve_data_dir(data_dir)
    state = read_state(data)
    if state is None:
        return None
    if _is_ours(state.pid, data) and _is_ours(state.java_pid, data) and _port_open(state.bolt_port):
        return state
    return None


def ensure_engine(data_dir: str | os.PathLike[str] | None = None) -> Connection:
    """Return a connection to this data dir's engine, starting it first if it is not running."""
    data = resolve_data_dir(data_dir)
    state = status(data)
    if state is None:
        _package_dir()  # before the lock, which creates the data directory
        with _locked(data):
            state = status(data)  # somebody may have started it while we waited for the lock
            if state is None:
                state = _start(data)
    return Connection(state.uri, USER, password(data), DATABASE)


def _start(data: Path) -> EngineState:
    _clear_stale(data)
    last_error = ""
    for _attempt in range(3):  # a free port can be taken between picking it and binding it
        state, last_error = _start_once(data)
        if state is not None:
            return state
        if "BindException" not in last_error and "Address already in use" not in last_error:
            break
    raise EngineError(f"the bundled engine did not start; last log lines:\n{last_error}")


def _clear_stale(data: Path) -> None:
    state = read_state(data)
    if state is None:
        return
    for pid in (state.pid, state.java_pid):
        if _is_ours(pid, data):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        (data / STATE_FILE).unlink()


def _start_once(data: Path) -> tuple[EngineState | None, str]:
    root = data / ENGINE_ROOT
    (root / "log").mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    secret = password(data)
    _write_atomic(root / ARGS_FILE, f'"-Darcadedb.server.rootPassword={secret}"\n', mode=0o600)
    bolt_port, http_port = _free_port(), _free_port()
    while http_port == bolt_port:
        http_port = _free_port()
    log = root / "log" / CONSOLE_LOG
    log_offset = log.stat().st_size if log.exists() else 0
    cmd = [sys.executable, "-m", "healthgov.graph.supervisor", str(data), str(bolt_port), str(http_port)]
    started = time.monotonic()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    try:
        state = _wait_ready(data, proc, started)
    except BaseException:
        # Interrupted or failed while starting: take the half-started engine down with us.
        _terminate(proc)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            (root / ARGS_FILE).unlink()
    if state is None:
        _terminate(proc)
        return None, _log_tail(log, log_offset)
    return state, ""


def _wait_ready(data: Path, proc: subprocess.Popen[bytes], started: float) -> EngineState | None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    secret = password(data)
    while time.monotonic() - started < START_TIMEOUT:
        if proc.poll() is not None:
            return None
        state = read_state(data)
        if state is not None and state.pid == proc.pid and _port_open(state.bolt_port, 0.5):
            try:
                with GraphDatabase.driver(state.uri, auth=(USER, secret)) as driver:
                    # The database is created after Bolt starts listening: ready means queryable.
                    driver.execute_query("RETURN 1 AS ok", database_=DATABASE)
                return state
            except (Neo4jError, ServiceUnavailable, OSError):
                pass
        time.sleep(0.1)
    return None


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _log_tail(log: Path, offset: int, lines: int = 15) -> str:
    try:
        with open(log, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def stop(data_dir: str | os.PathLike[str] | None = None) -> bool:
    """Stop this data dir's engine cleanly. Returns whether one was running."""
    data = resolve_data_dir(data_dir)
    with _locked(data):
        state = read_state(data)
        if state is None:
            return False
        was_running = False
        if _is_ours(state.pid, data):
            was_running = True
            # The supervisor asks Java to shut down (it flushes and closes the database).
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT + 5
            while _alive(state.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
        for pid in (state.pid, state.java_pid):
            if _is_ours(pid, data):
                was_running = True
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(FileNotFoundError):
            (data / STATE_FILE).unlink()
        return was_running
