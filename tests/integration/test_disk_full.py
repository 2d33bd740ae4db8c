"""A full disk under the bundled engine mid-build: a clear error, no partial document, and a
build after space is freed completes the graph."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from healthgov.extract.pipeline import extract_file
from healthgov.graph.store import open_store

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def small_disk(tmp_path: Path):
    # A real full disk needs a small filesystem of our own: a tmpfs, which only root may mount.
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run([HEALTHGOV, "engine", "stop", "--data-dir", str(mnt / "data")], capture_output=True, timeout=60)
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _tasks_per_policy(data: Path) -> dict[str, int]:
    with open_store(None, data) as store, store.session() as s:
        rows = s.run("MATCH (p:Policy {loaded: true}) OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task) "
                     "RETURN p.id AS id, count(t) AS n").data()
    return {r["id"]: r["n"] for r in rows}


def test_disk_full_mid_build(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    docs = sorted(CORPUS.glob("*.txt"))
    shutil.copy(docs[0], first)
    for d in docs[1:]:
        shutil.copy(d, rest)
    expected = {extract_file(d).policy.id: len(extract_file(d).tasks) for d in docs}

    r = subprocess.run([HEALTHGOV, "build", str(first), "--data-dir", str(data)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    before = _tasks_per_policy(data)

    filler = small_disk / "filler"
    with open(filler, "wb") as fh:  # fill the disk to the last byte
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
        except OSError:
            pass
    r = subprocess.run([HEALTHGOV, "build", str(rest), "--data-dir", str(data)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "no space left on the disk" in r.stderr and "Traceback" not in r.stderr
    assert _tasks_per_policy(data) == before  # nothing half-loaded, the first document intact

    filler.unlink()
    r = subprocess.run([HEALTHGOV, "build", str(first), str(rest), "--data-dir", str(data)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = _tasks_per_policy(data)
    assert {k: got.get(k) for k in expected} == expected
