"""Imported by the extraction forkserver (``workers.forkserver_context``): warms it once."""

from healthgov.loaders.workers import warm

warm()
