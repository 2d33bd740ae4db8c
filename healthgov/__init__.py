"""healthgov: a knowledge graph of China's health-system governance, built from policy documents."""

__version__ = "0.1.0"
