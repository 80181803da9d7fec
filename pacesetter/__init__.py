"""Pacesetter: self-hosted sales goals — plan, track, pace and reward."""

__version__ = "0.1.0"
