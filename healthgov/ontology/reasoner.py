"""OWL consistency and classification with HermiT (through owlready2), and finding a Java for it.

HermiT is a Java program. The system ``java`` is used when there is one; otherwise the JRE that
ships inside the ``arcadedb_embedded`` wheel (a declared dependency) is, so a fresh machine
without Java can still reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph


@dataclass
class ReasonerResult:
    ran: bool
    consistent: bool | None = None
    unsatisfiable: list[str] = field(default_factory=list)
    java: str | None = None
    reason: str = ""  # why it was skipped, or the error

    @property
    def ok(self) -> bool:
        return self.ran and bool(self.consistent) and not self.unsatisfiable


def _works(java: str) -> bool:
    try:
        r = subprocess.run([java, "-version"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


def bundled_java() -> str | None:
    """The ``java`` of the JRE bundled in the arcadedb_embedded package, if installed."""
    try:
        import arcadedb_embedded  # noqa: PLC0415
    except ImportError:
        return None
    root = Path(arcadedb_embedded.__file__).parent
    for name in ("java", "java.exe"):
        for cand in sorted(root.glob(f"**/jre/bin/{name}")):
            return str(cand)
    return None


def find_java() -> tuple[str | None, str]:
    """(path to a working java, where it came from) or (None, why none was found)."""
    tried = []
    env = os.environ.get("HEALTHGOV_JAVA")
    home = os.environ.get("JAVA_HOME")
    candidates = [
        (env, "HEALTHGOV_JAVA"),
        (str(Path(home) / "bin" / "java") if home else None, "JAVA_HOME"),
        (shutil.which("java"), "PATH"),
        (bundled_java(), "arcadedb_embedded bundled JRE"),
    ]
    for path, origin in candidates:
        if not path:
            continue
        if _works(path):
            return path, origin
        tried.append(f"{path} ({origin}) does not run")
    return None, "no Java runtime found (" + ("; ".join(tried) or "none on PATH, no JAVA_HOME, no bundled JRE") + ")"


def run_hermit(graph: Graph, ignore_unsupported_datatypes: bool = False) -> ReasonerResult:
    """Check consistency and find unsatisfiable classes of the OWL in ``graph``.

    HermiT knows only the OWL 2 datatype map; instance data with ``xsd:date`` values needs
    ``ignore_unsupported_datatypes=True``.
    """
    java, origin = find_java()
    if java is None:
        return ReasonerResult(ran=False, reason=origin)
    import owlready2  # noqa: PLC0415

    owlready2.JAVA_EXE = java
    # owlready2 parses N-Triples more reliably than Turtle: hand it a temporary N-Triples file.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "healthgov.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(
                onto, infer_property_values=False, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(ran=True, consistent=False, java=java, reason="HermiT: inconsistent ontology")
        except owlready2.OwlReadyJavaError as e:
            return ReasonerResult(ran=False, java=java, reason=f"HermiT failed: {str(e)[:500]}")
        unsat = sorted(c.iri for c in world.inconsistent_classes())
        return ReasonerResult(ran=True, consistent=True, unsatisfiable=unsat, java=java, reason=f"Java from {origin}")
