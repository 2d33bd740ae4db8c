"""Snapshot what healthgov produces, to show a refactoring changed nothing a user sees.

``python benchmarks/equivalence.py snapshot OUT [--generated DIR]`` writes into OUT:

- ``records/<set>.jsonl``: ``healthgov extract --jsonl`` of the seeds (``corpus/``), the extra
  documents (``../shared/extra``) and, with ``--generated``, a generated corpus (make one with
  ``python benchmarks/generate_corpus.py DIR --n 1000 --seed 7``; generate it once and pass the
  same directory to both snapshots, so the inputs are the same files);
- ``graph/``: the CSV export (``healthgov export --format csv``) of all those documents built into
  a fresh bundled engine, and the GraphML export;
- ``queries/<name>.json``: every named query with its default parameters, through the CLI;
- ``api/<n>.json``: every GET operation of the served API's OpenAPI with its example parameters
  (the answers a client gets, over HTTP).

``python benchmarks/equivalence.py compare A B`` lists every file that differs (exit 1) or says
the snapshots are identical. Only the commands are used (no imports from the package), so the
same script runs before and after modules move.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT.parent / "shared" / "extra"
HEALTHGOV = str(Path(sys.executable).with_name("healthgov"))
# Values that change from one build to the next by design, not by behaviour.
VOLATILE_KEYS = ("graph_version", "loaded_at", "built_at", "etag", "uri")  # uri: the engine's port


def _run(args: list[str], ok: tuple[int, ...] = (0, 1), **kw) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([HEALTHGOV, *args], capture_output=True, text=True, encoding="utf-8", **kw)
    if r.returncode not in ok:
        raise SystemExit(f"healthgov {' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return r


def _sets(generated: Path | None) -> dict[str, Path]:
    sets = {"seeds": ROOT / "corpus", "extra": EXTRA}
    if generated:
        sets["generated"] = generated
    return {k: v for k, v in sets.items() if v.is_dir()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scrub(value):
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _example_url(path: str, op: dict) -> str:
    query = {}
    for p in op.get("parameters", []):
        name = p["name"]
        example = p.get("example", p.get("schema", {}).get("example"))
        if p.get("in") == "path":
            if example is None:
                return ""
            path = path.replace("{" + name + "}", urllib.parse.quote(str(example)))
        elif p.get("required") and example is not None:
            query[name] = example
    return path + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")


def _api(out: Path, data_dir: Path, cwd: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HEALTHGOV_CACHE": "0"}
    proc = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(data_dir)],
                            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        spec = json.load(urllib.request.urlopen(base + "/openapi.json", timeout=30))
        out.mkdir(parents=True)
        urls = sorted({u for path, ops in spec["paths"].items() if "get" in ops
                       for u in [_example_url(path, ops["get"])] if u})
        for i, url in enumerate(urls):
            try:
                with urllib.request.urlopen(base + url, timeout=300) as r:
                    status, body, ctype = r.status, r.read(), r.headers.get("content-type", "")
            except urllib.error.HTTPError as e:
                status, body, ctype = e.code, e.read(), e.headers.get("content-type", "")
            if "json" in ctype:
                content = _scrub(json.loads(body))
            else:
                content = body.decode("utf-8", "replace")
            (out / f"{i:03d}.json").write_text(json.dumps({"url": url, "status": status, "body": content},
                                                          ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(30)


def snapshot(out: Path, generated: Path | None) -> None:
    if out.exists():
        shutil.rmtree(out)
    sets = _sets(generated)
    (out / "records").mkdir(parents=True)
    for name, path in sets.items():
        r = _run(["extract", str(path), "--jsonl"], cwd=path.parent)
        lines = sorted(r.stdout.splitlines())
        (out / "records" / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"records {name}: {len(lines)}")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        # Build from copies under one root, so the stored source paths do not depend on where
        # the inputs live.
        for name, path in sets.items():
            shutil.copytree(path, work / name)
        try:
            _run(["build", *sets, "--data-dir", str(data_dir)], cwd=work)
            _run(["export", "--format", "csv", "--out", str(out / "graph" / "csv"), "--data-dir", str(data_dir)],
                 cwd=work)
            _run(["export", "--format", "graphml", "--out", str(out / "graph" / "graph.graphml"),
                  "--data-dir", str(data_dir)], cwd=work)
            names = sorted(f.stem.replace("_", "-") for f in (ROOT / "healthgov" / "queries").glob("*.cypher"))
            (out / "queries").mkdir()
            for q in names:
                # A query with a required parameter answers exit 2 and says so: that is compared too
                # (the API pass below runs it with its documented example).
                r = _run(["query", q, "--format", "json", "--data-dir", str(data_dir)], ok=(0, 2), cwd=work)
                (out / "queries" / f"{q}.json").write_text(r.stdout or f"exit {r.returncode}: {r.stderr}",
                                                           encoding="utf-8")
            print(f"queries: {len(names)}")
            _api(out / "api", data_dir, work)
            print(f"api: {len(list((out / 'api').iterdir()))} answers")
        finally:
            subprocess.run([HEALTHGOV, "engine", "stop", "--data-dir", str(data_dir)], capture_output=True)


def compare(a: Path, b: Path) -> int:
    diffs: list[str] = []

    def walk(cmp: filecmp.dircmp, rel: str = "") -> None:
        diffs.extend(f"only in {a.name}: {rel}{n}" for n in cmp.left_only)
        diffs.extend(f"only in {b.name}: {rel}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        diffs.extend(f"differs: {rel}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b))
    for d in diffs:
        print(d)
    if not diffs:
        files = sum(1 for p in a.rglob("*") if p.is_file())
        print(f"identical: {files} files")
    return 1 if diffs else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--generated", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        snapshot(args.out.resolve(), args.generated.resolve() if args.generated else None)
    else:
        raise SystemExit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
