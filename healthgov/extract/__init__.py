"""Deterministic extraction of governance records from policy documents."""
