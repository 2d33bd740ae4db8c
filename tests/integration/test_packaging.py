"""A release install, not the editable one the other tests run in.

The wheel is built from a copy of the tree (as docker-compose.yml copies it), installed into a
fresh venv with the pip arguments docker-compose.yml uses (constraints.txt, no ``bundled``
extra), and that venv's ``healthgov`` is run: data files left out of the wheel, or an engine
import on the extraction path, only show up there. Also: constraints.txt pins every dependency
inside pyproject.toml's ranges, and the venv running this suite is at those pins.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from healthgov.graph.engine import NOT_INSTALLED

REPO = Path(__file__).resolve().parents[2]
COMPOSE_SRC = "/srv/healthgov"  # where docker-compose.yml copies the tree
# What docker-compose.yml leaves out of its copy (top level only: healthgov/extract/data is
# package data), plus local build output, which setuptools would reuse (a stale egg-info's
# SOURCES.txt can put a file in the wheel that pyproject.toml does not).
NOT_COPIED_TOP = {".venv", ".venv-lock", "data", ".git", "build", "dist", "out", "node_modules"}
NOT_COPIED = shutil.ignore_patterns("*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis")
ENGINE_COMMANDS = [
    ["build", "CORPUS"],
    ["engine", "start"],
    ["serve", "--port", "9"],  # never bound: it fails before
    ["query", "policies"],
    ["export", "--format", "graphml", "--out", "g.graphml"],
]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", **kwargs)


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: nothing pointing at this venv, the repo or a Neo4j."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NEO4J_URI", "HEALTHGOV_DATA")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def _compose_pip_install() -> list[str]:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    script = compose["services"]["healthgov"]["command"][-1]
    [step] = [s.strip() for s in script.split("&&") if s.strip().startswith("pip install")]
    return shlex.split(step)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, ver = line.partition("==")
            assert sep and ver, f"constraints.txt: not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = ver.strip()
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + extras["bundled"] + extras["test"] + extras["bench"]]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("pkg") / "healthgov"

    def ignore(directory: str, names: list[str]) -> set[str]:
        top = NOT_COPIED_TOP & set(names) if Path(directory) == REPO else set()
        return top | NOT_COPIED(directory, names)

    shutil.copytree(REPO, src, ignore=ignore)
    return src


@pytest.fixture(scope="module")
def wheel(source: Path) -> Path:
    out = source.parent / "wheels"
    r = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
             env=_clean_env())
    assert r.returncode == 0, r.stderr
    [whl] = out.glob("healthgov-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(source: Path) -> Path:
    """A fresh venv with healthgov installed by docker-compose.yml's own pip command."""
    venv = source.parent / "venv"
    r = _run([sys.executable, "-m", "venv", str(venv)])
    assert r.returncode == 0, r.stderr
    pip, install, *args = _compose_pip_install()
    assert (pip, install) == ("pip", "install")
    args = [str(source) + a[len(COMPOSE_SRC):] if a.startswith(COMPOSE_SRC) else a for a in args]
    r = _run([str(venv / "bin" / "python"), "-m", "pip", "install", *args], env=_clean_env(), cwd=source.parent,
             timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    return venv


def test_the_wheel_ships_every_tracked_data_file(wheel: Path) -> None:
    tracked = _run(["git", "ls-files", "healthgov"], cwd=REPO, check=True).stdout.split()
    data = [f for f in tracked if not f.endswith(".py")]
    assert "healthgov/extract/data/jurisdictions.tsv" in data
    with zipfile.ZipFile(wheel) as zf:
        shipped = set(zf.namelist())
    assert [f for f in data if f not in shipped] == []


def test_compose_installs_the_release_way() -> None:
    args = _compose_pip_install()
    assert args[-1] == COMPOSE_SRC, "a plain (not editable) install of the copied tree"
    assert "-e" not in args and "--editable" not in args
    assert args[args.index("-c") + 1] == f"{COMPOSE_SRC}/constraints.txt"
    assert not any("[" in a for a in args), "no extras: Neo4j is the store, not the bundled engine"


def test_a_fresh_install_extracts_the_corpus_without_the_engine(venv: Path, tmp_path: Path) -> None:
    py = str(venv / "bin" / "python")
    r = _run([py, "-c", "import healthgov, importlib.util as u; "
              "print(healthgov.__file__); print(u.find_spec('arcadedb_embedded') is None)"], cwd=tmp_path)
    where, no_engine = r.stdout.split()
    assert Path(where).is_relative_to(venv), f"healthgov imported from {where}, not the installed wheel"
    assert no_engine == "True", "the bundled engine is an extra: a plain install leaves it out"

    docs = sorted(p.name for p in (REPO / "corpus").iterdir() if p.is_file() and not p.name.startswith("SOURCES"))
    r = _run([str(venv / "bin" / "healthgov"), "extract", str(REPO / "corpus"), "--jsonl"], cwd=tmp_path,
             env=_clean_env())
    assert r.returncode == 0, r.stderr
    assert "error" not in r.stderr.lower(), r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert sorted(Path(rec["source"]).name for rec in records) == docs
    for rec in records:
        assert rec["tasks"], rec["source"]
        assert any(t["responsibilities"] for t in rec["tasks"]), rec["source"]


@pytest.mark.parametrize("command", ENGINE_COMMANDS, ids=lambda c: " ".join(c))
def test_without_the_bundled_engine_commands_say_how_to_get_it(venv: Path, tmp_path: Path,
                                                                command: list[str]) -> None:
    args = [str(REPO / "corpus") if a == "CORPUS" else a for a in command]
    r = _run([str(venv / "bin" / "healthgov"), *args], cwd=tmp_path, env=_clean_env(), timeout=120)
    assert r.returncode != 0
    assert r.stderr.strip().splitlines() == [f"error: {NOT_INSTALLED}"]
    assert "pip install 'healthgov[bundled]'" in r.stderr
    assert not (tmp_path / "data").exists(), "nothing is created for an engine that cannot start"


def test_every_dependency_is_bounded_and_pinned_inside_its_range() -> None:
    pins = _pins()
    assert "healthgov" not in pins
    for req in _requirements():
        assert any(s.operator in ("<", "<=", "==", "~=") for s in req.specifier), f"{req}: no upper bound"
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not pinned in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), f"{req.name}=={pins[name]} is outside {req}"


def test_this_venv_runs_the_pinned_versions() -> None:
    """So `make test` tests what is locked: the Makefile reinstalls when constraints.txt changes."""
    wrong = {}
    for name, ver in _pins().items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if have != ver:
            wrong[name] = (ver, have)
    assert wrong == {}, "pinned vs installed; run `make test` (or make .venv/.installed) to reinstall"


def test_make_reinstalls_when_the_lock_changes(tmp_path: Path) -> None:
    for f in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(REPO / f, tmp_path / f)
    stamp = tmp_path / ".venv" / ".installed"
    stamp.parent.mkdir()
    stamp.touch()  # newer than the copies: installed and up to date
    assert _run(["make", "-q", ".venv/.installed"], cwd=tmp_path).returncode == 0
    r = _run(["make", "-n", "-W", "constraints.txt", ".venv/.installed"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    installs = [line for line in r.stdout.splitlines() if re.search(r"pip install .*-e ", line)]
    assert installs and all("-c constraints.txt" in line and ".[bundled,test,bench]" in line for line in installs), r.stdout
