"""The loader's Cypher, read from ``healthgov/loaders/statements/*.cypher``.

Each file holds named statements: a ``// name: <name>`` line, then the statement up to the next
blank line followed by a comment, or the end of the file. Other ``//`` lines are comments.

Labels, relationship types and a few property keys cannot be Cypher parameters: the files name
them as ontology terms in double braces, filled in from the schema (``healthgov.graph.schema``,
checked identifiers) when the statements are read:

- ``{{Policy}}`` (capitalised): a class → its node label (``Policy``);
- ``{{hasTask}}``: an object property → its relationship type (``HAS_TASK``);
- ``{{docNumber}}``: a datatype property → its key (``doc_number``);
- any other name is a value the caller gives (``render(name, scheme_class=...)``).

A term renamed or dropped in the ontology fails here, when the loader is made. Every value
travels as a parameter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from healthgov.graph.schema import GraphSchema

DIRECTORY = Path(__file__).resolve().parent / "statements"
_NAME = re.compile(r"^//\s*name:\s*([a-z_]+)\s*$")
_TERM = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=1)
def templates() -> dict[str, str]:
    """Every statement by name, terms not filled in."""
    out: dict[str, str] = {}
    for path in sorted(DIRECTORY.glob("*.cypher")):
        name: str | None = None
        lines: list[str] = []
        for line in [*path.read_text(encoding="utf-8").splitlines(), "// name: _end"]:
            m = _NAME.match(line.strip())
            if m or (line.startswith("//") and name is not None and lines and not lines[-1].strip()):
                if name is not None:
                    if name in out:
                        raise ValueError(f"{path.name}: the statement {name!r} is defined twice")
                    out[name] = "\n".join(lines).strip()
                name, lines = (m.group(1) if m else None), []
            elif name is not None and not line.startswith("//"):
                lines.append(line)
    return out


def fill(template: str, schema: GraphSchema, **values: str) -> str:
    """``template`` with every ``{{term}}`` replaced (see the module's docstring)."""

    def term(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return values[name]
        if name[0].isupper():
            return schema.label(name)
        if name in schema.rels:
            return schema.rel(name)
        return schema.key(name)

    return _TERM.sub(term, template)


class Statements:
    """The loader's statements with the schema's names filled in: ``Statements(schema).tasks``."""

    def __init__(self, schema: GraphSchema) -> None:
        self.schema = schema
        self._filled = {name: fill(text, schema) for name, text in templates().items() if "{{scheme_class}}" not in text}

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["_filled"][name]
        except KeyError:
            raise AttributeError(f"no loader statement named {name!r} in {DIRECTORY}") from None

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)

    def render(self, name: str, **values: str) -> str:
        """A statement that needs values besides the schema's (a label chosen at run time)."""
        return fill(templates()[name], self.schema, **values)
