"""The command line loads a command's module only when that command runs: every command is listed
and resolves, the map names exactly what the modules register, and ``healthgov query`` starts
without the extractor, the views or the ontology tools."""

from __future__ import annotations

import re
import subprocess
import sys

import typer
from typer.testing import CliRunner

from healthgov.cli import COMMANDS, app, module_commands


def test_the_map_names_every_command_each_module_registers() -> None:
    registered = {name: module for module in set(COMMANDS.values()) for name in module_commands(module)}
    assert registered == COMMANDS


def test_help_lists_every_command_in_pipeline_order() -> None:
    group = typer.main.get_command(app)
    assert group.list_commands(None) == list(COMMANDS)
    out = CliRunner().invoke(app, ["--help"]).output
    positions = [re.search(rf"^[\W]*{name}\s", out, re.M).start() for name in COMMANDS]
    assert positions == sorted(positions)


def test_an_unknown_command_is_an_error() -> None:
    result = CliRunner().invoke(app, ["bulid"])
    assert result.exit_code == 2 and "No such command" in result.output


def test_a_query_does_not_import_the_extractor_or_the_views() -> None:
    code = ("import sys; from healthgov.cli import app\n"
            "try:\n    app(['query', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('healthgov.extract.pipeline', "
            "'healthgov.visualize', 'healthgov.ontology.commands', 'networkx'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
