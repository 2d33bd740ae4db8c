"""Imported by the extraction forkserver (``workers.forkserver_context``): warms it once."""

from healthgov.extract.workers import warm

warm()
