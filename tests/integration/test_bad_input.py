"""Junk in, clear errors out: a directory of bad files generated here, run through the real
``healthgov extract`` and ``healthgov build`` (subprocesses, the bundled engine over Bolt).

Each bad file gets exactly one line naming it and the reason; the good ones (including the odd
but valid ones: 10,000 tasks, brackets nested 10,000 deep) are extracted; a build goes on with
the rest, exits non-zero with a summary, and changes nothing already in the graph.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

from healthgov.graph import engine
from healthgov.graph.export import dump
from healthgov.graph.store import open_store

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Root reads mode-000 files anyway (CAP_DAC_OVERRIDE): as root, the commands run without the
# capabilities that bypass file permissions, so an unreadable file is unreadable to them too.
_CAPS = "-dac_override,-dac_read_search"
PREFIX = ["setpriv", f"--bounding-set={_CAPS}", f"--inh-caps={_CAPS}"] if IS_ROOT and shutil.which("setpriv") else []
CAN_DENY = not IS_ROOT or bool(PREFIX)


def head(n: int) -> str:
    """A policy header; each generated document has its own number (its own policy)."""
    return f"杭州市人民政府办公厅关于印发某某行动计划的通知\n杭政办函〔2024〕{n}号\n各区、县(市)人民政府,市政府各部门:\n"

# file name → the reason its error line must give (None: the file is handled and gives a record).
EXPECTED: dict[str, str | None] = {
    "empty.txt": "empty file",
    "binary.bin": "binary",
    "truncated.txt": "truncated UTF-8",
    "huge.txt": "too large",
    "not_policy.txt": "not a policy document",
    "loop_a.txt": "symlink loop",
    "loop_b.txt": "symlink loop",
    "unbalanced.txt": None,
    "deep_brackets.txt": None,
    "many_tasks.txt": None,
}
if CAN_DENY:  # root without setpriv cannot be denied a read: the case is left out there
    EXPECTED["unreadable.txt"] = "permission denied"


def _cn(n: int) -> str:
    d = "〇一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 100:
        return ("" if n < 20 else d[n // 10]) + "十" + (d[n % 10] if n % 10 else "")
    h, r = divmod(n, 100)
    return d[h] + "百" + ("" if r == 0 else "零" + d[r] if r < 10 else _cn(r) if r >= 20 else "一" + _cn(r))


def make_bad_dir(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    seed = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.bin").write_bytes(random.Random(8).randbytes(64 * 1024))
    (d / "truncated.txt").write_bytes(seed[:3000].encode("utf-8") + "任".encode()[:2])
    # 50 MB: refused by the size limit before it is read.
    with open(d / "huge.txt", "wb") as fh:
        block = seed.encode("utf-8")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(block)
    (d / "not_policy.txt").write_text(
        "今天天气很好，我们一家人去公园散步。公园里的花都开了，红的、黄的、紫的，非常漂亮。孩子们在草地上放风筝，"
        "老人们在树下下棋聊天。中午我们在湖边野餐，吃了妈妈做的三明治和水果。下午回家的路上还买了冰淇淋。\n",
        encoding="utf-8")
    os.symlink("loop_b.txt", d / "loop_a.txt")
    os.symlink("loop_a.txt", d / "loop_b.txt")
    (d / "unbalanced.txt").write_text(
        head(901) + "一、重点任务\n1.加强基层建设（《〔【（(" * 200 + "。(责任单位:市卫生健康委\n"
        "2.完善制度》》）〕】)))))。（责任单位:市财政局）\n", encoding="utf-8")
    (d / "deep_brackets.txt").write_text(
        head(902) + "一、重点任务\n1.加强建设" + "（" * 10_000 + "内容" + "）" * 10_000 + "。(责任单位:市卫生健康委)\n",
        encoding="utf-8")
    parts = [head(903)]
    for s in range(1, 126):  # 125 parts x 80 tasks = 10,000
        parts.append(f"{_cn(s)}、第{s}方面重点任务\n")
        parts += [f"{t}.推进第{s}-{t}项重点工作。加强基层医疗卫生机构能力建设,提升服务水平。"
                  "(责任单位:市卫生健康委、市财政局)\n" for t in range(1, 81)]
    (d / "many_tasks.txt").write_text("".join(parts), encoding="utf-8")
    if CAN_DENY:
        (d / "unreadable.txt").write_text(seed, encoding="utf-8")
        os.chmod(d / "unreadable.txt", 0)


def run(*args: str, timeout: float = 240, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:
    env = env if env is not None else {**os.environ, "NO_COLOR": "1", "COLUMNS": "250"}
    env.pop("NEO4J_URI", None)
    return subprocess.run([*PREFIX, HEALTHGOV, *args], capture_output=True, text=True, timeout=timeout, env=env, **kw)


def error_lines(text: str, prefix: str) -> dict[str, list[str]]:
    """file name → its error lines (``error: <file>: <reason>`` or ``FAILED <file>: <reason>``)."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith(prefix):
            path = line[len(prefix):].split(": ", 1)[0]
            out.setdefault(Path(path).name, []).append(line)
    return out


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bad") / "inbox"
    make_bad_dir(d)
    return d


def test_extract_reports_each_bad_file_once(bad_dir: Path) -> None:
    started = time.monotonic()
    res = run("extract", str(bad_dir), "--jsonl", "--out", str(bad_dir.parent / "out.jsonl"))
    elapsed = time.monotonic() - started
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr and "RecursionError" not in res.stderr and "internal error" not in res.stderr
    errors = error_lines(res.stderr, "error: ")
    for name, reason in EXPECTED.items():
        if reason is None:
            assert name not in errors, errors.get(name)
        else:
            assert len(errors.get(name, [])) == 1, (name, res.stderr)
            assert reason in errors[name][0], errors[name]
    assert set(errors) <= set(EXPECTED), errors  # nothing else is reported, nothing silently dropped
    assert all(line.startswith("error: ") for line in res.stderr.splitlines() if line.strip()), res.stderr
    records = {Path(r["source"]).name: r for r in map(json.loads, (bad_dir.parent / "out.jsonl").read_text().splitlines())}
    assert set(records) == {n for n, r in EXPECTED.items() if r is None}
    assert len(records["many_tasks.txt"]["tasks"]) == 10_000
    assert records["many_tasks.txt"]["tasks"][-1]["path"] == ["一百二十五", "80"]
    assert "（" * 10_000 in records["deep_brackets.txt"]["tasks"][0]["text"]
    assert [t["number"] for t in records["unbalanced.txt"]["tasks"]] == ["1", "2"]
    assert elapsed < 120, f"extract took {elapsed:.0f} s"


def test_size_limit_message_names_the_limit(bad_dir: Path) -> None:
    res = run("extract", str(bad_dir / "huge.txt"))
    assert res.returncode == 1
    assert re.fullmatch(r"error: \S+huge\.txt: too large \(5\d\.\d MB > 21\.0 MB limit; raise it with --max-mb .*\)\n",
                        res.stderr), res.stderr


@pytest.mark.skipif(not CAN_DENY, reason="running as root without setpriv: root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    shutil.copy(next(SEEDS.glob("003_*.txt")), tmp_path / "ok.txt")
    (tmp_path / "unreadable.txt").write_text("不可读", encoding="utf-8")
    os.chmod(tmp_path / "unreadable.txt", 0)
    res = run("extract", str(tmp_path), "--format", "table")
    assert res.returncode == 1, res.stderr
    assert res.stderr.splitlines() == [f"error: {tmp_path}/unreadable.txt: cannot read file (permission denied)"]
    assert "杭政办函〔2022〕47号" in res.stdout


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("badgraph")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    data = root / "data"
    res = run("build", str(corpus), "--data-dir", str(data))
    assert res.returncode == 0, res.stderr
    store = open_store(data_dir=data)
    yield {"corpus": corpus, "data": data, "store": store}
    store.close()
    engine.stop(data)


# What a new document may add to an agency it names: the forms it writes the body in (one node
# per real body: docs/DESIGN.md, "Agency identity"), and so maybe a better-ranked name.
_GROWS = ("aliases", "name", "name_rank")


def _unchanged(before: dict, after: dict | None) -> bool:
    if after is None:
        return False
    if before["label"] != "Agency":
        return after == before
    b, a = before["props"], after["props"]
    return ({k: v for k, v in b.items() if k not in _GROWS} == {k: v for k, v in a.items() if k not in _GROWS}
            and set(b.get("aliases", [])) <= set(a.get("aliases", [])) and a.get("name_rank", "") <= b.get("name_rank", ""))


def test_build_goes_on_and_changes_nothing_loaded(graph, bad_dir: Path) -> None:
    before_nodes, before_rels = dump(graph["store"])
    res = run("build", str(graph["corpus"]), str(bad_dir), "--data-dir", str(graph["data"]))
    assert res.returncode == 1, res.stdout + res.stderr
    out = res.stdout + res.stderr
    assert "Traceback" not in out and "RecursionError" not in out and "internal error" not in out
    failed = error_lines(out, "FAILED ")
    bad = {n for n, r in EXPECTED.items() if r is not None}
    assert set(failed) == bad, failed
    for name in bad:
        assert len(failed[name]) == 1 and EXPECTED[name] in failed[name][0], failed[name]
    good = len(EXPECTED) - len(bad)
    assert re.search(rf"Documents: {good} loaded, 5 unchanged \(skipped\), {len(bad)} failed", out), out
    after_nodes, after_rels = dump(graph["store"])
    # Everything that was there is still there, unchanged; the new documents only add.
    after_n = {n["key"]: n for n in after_nodes}
    assert all(_unchanged(n, after_n.get(n["key"])) for n in before_nodes)
    after_r = {json.dumps(r, sort_keys=True, ensure_ascii=False) for r in after_rels}
    assert all(json.dumps(r, sort_keys=True, ensure_ascii=False) in after_r for r in before_rels)
    rows = graph["store"].read("MATCH (p:Policy)-[:HAS_TASK]->(t:Task) WHERE p.doc_number STARTS WITH '杭政办函〔2024〕90' "
                               "RETURN p.doc_number AS n, count(t) AS tasks ORDER BY n")
    assert [(r["n"][-4:], r["tasks"]) for r in rows] == [("901号", 2), ("902号", 1), ("903号", 10_000)]
