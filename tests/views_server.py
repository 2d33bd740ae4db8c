"""The seed corpus built once into a temporary bundled engine, and the API served over HTTP.

Used by the view tests: ``healthgov build`` into a temp data dir (the real CLI, the real
engine), then the API app with the views router on a free loopback port under uvicorn.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT
    store: Any
    data_dir: Path


def build_corpus(data_dir: Path) -> None:
    env = {**os.environ, "HEALTHGOV_DATA": str(data_dir)}
    cli = str(Path(sys.executable).parent / "healthgov")  # the venv's console script: the real CLI
    proc = subprocess.run([cli, "build", str(CORPUS)], env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"healthgov build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def make_app(store: Any):  # noqa: ANN201 - a FastAPI app
    from healthgov.api.app import create_app

    return create_app(store)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: Any) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def served_corpus(tmp: Path) -> Iterator[Served]:
    from healthgov.graph import engine
    from healthgov.graph.store import open_store

    data_dir = tmp / "data"
    build_corpus(data_dir)
    store = open_store(data_dir=data_dir)
    try:
        with serve(make_app(store)) as base:
            assert httpx.get(base + "/views/lineage", timeout=60).status_code == 200
            yield Served(base, store, data_dir)
    finally:
        store.close()
        engine.stop(data_dir)
