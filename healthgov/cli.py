"""The ``healthgov`` command line.

Each command lives next to the code it drives and is registered here; commands that do not
exist yet are simply absent.
"""

from __future__ import annotations

import typer

from healthgov import __version__

app = typer.Typer(
    name="healthgov",
    help="A knowledge graph of China's health-system governance, built from policy documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


# Command registration: one line per command module, in pipeline order.
from healthgov.ontology import commands as _ontology_commands  # noqa: E402

_ontology_commands.register(app)
from healthgov.extract import commands as _loader_commands  # noqa: E402

_loader_commands.register(app)
from healthgov.graph import commands as _graph_commands  # noqa: E402

_graph_commands.register(app)
from healthgov.visualize import commands as _visualize_commands  # noqa: E402

_visualize_commands.register(app)
from healthgov.queries import commands as _query_commands  # noqa: E402

_query_commands.register(app)
from healthgov.api import commands as _api_commands  # noqa: E402

_api_commands.register(app)
from healthgov.network import commands as _network_commands  # noqa: E402

_network_commands.register(app)


if __name__ == "__main__":  # python -m healthgov.cli
    app()
