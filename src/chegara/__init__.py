"""Chegara: inter-agency national risk management system for border security."""

__version__ = "0.1.0"
