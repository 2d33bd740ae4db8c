"""Extraction worker processes: a forkserver that imported the extractor once.

``forkserver_context()`` is the multiprocessing context ``pipeline.extract_files`` uses for
``jobs > 1``. Its forkserver preloads ``healthgov.extract._preload``, whose import runs ``warm``
(imports every extraction step, parses the vocabularies, builds the label matchers): workers
forked from it start ready, instead of paying ~1 s each for imports and vocabulary parsing as
``spawn`` workers did.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext


def warm() -> None:
    """Import the extraction steps and build the vocabulary matchers of this process."""
    from healthgov.extract import pipeline  # noqa: F401
    from healthgov.extract.facts import agencies, tagging
    from healthgov.extract.facts.responsibilities.prose import mention_matcher
    from healthgov.extract.facts.targets.indicators import indicator_matcher
    from healthgov.ontology.vocab import load_vocabularies

    vocab = load_vocabularies()
    for scheme_id in ("institution-type", "tier", "topic"):
        if scheme_id in vocab.schemes:
            tagging._matcher(vocab[scheme_id])
    if "agency-type" in vocab.schemes:
        agencies._matcher(vocab["agency-type"])
        mention_matcher()
    if "indicator" in vocab.schemes:
        indicator_matcher(vocab["indicator"])


def forkserver_context() -> BaseContext:
    """The forkserver context, preloading this module (where the platform has forkserver)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # Takes effect when the forkserver starts (the first pool of this process); preloading is
    # best effort: a worker imports what it still lacks.
    ctx.set_forkserver_preload(["healthgov.extract._preload"])
    return ctx
