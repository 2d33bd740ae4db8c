"""The ``healthgov`` command line.

Each command lives next to the code it drives and is registered here; commands that do not
exist yet are simply absent.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import typer
from typer.core import TyperGroup

from healthgov import __version__

# Every command and the module whose ``register(app)`` defines it, in pipeline order. A module is
# imported when one of its commands runs (or for --help): ``healthgov query`` does not pay for
# the extractor, the views and the ontology tools (~0.6 s of Python start-up).
COMMANDS = {
    "ontology": "healthgov.ontology.commands",
    "extract": "healthgov.extract.commands",
    "build": "healthgov.graph.commands",
    "export": "healthgov.graph.commands",
    "engine": "healthgov.graph.commands",
    "view": "healthgov.visualize.commands",
    "views": "healthgov.visualize.commands",
    "query": "healthgov.queries.commands",
    "serve": "healthgov.api.commands",
    "network": "healthgov.network.commands",
}


@cache
def module_commands(module: str) -> dict[str, Any]:
    """The commands one module registers, by name (click commands)."""
    sub = typer.Typer(add_completion=False)
    importlib.import_module(module).register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyCommands(TyperGroup):
    """The top-level group: a command's module is imported when the command is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(module_commands(COMMANDS[cmd_name]))
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="healthgov",
    help="A knowledge graph of China's health-system governance, built from policy documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"healthgov {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """healthgov: policies → tasks → agencies, tiers, targets, as a graph."""


if __name__ == "__main__":  # python -m healthgov.cli
    app()
