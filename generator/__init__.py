"""Briefing: a static summary-site generator for multi-source news stories."""

__version__ = "0.1.0"
