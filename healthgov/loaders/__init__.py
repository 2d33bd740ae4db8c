"""Populating the graph: extracted records → graph rows → batched writes over Bolt."""
