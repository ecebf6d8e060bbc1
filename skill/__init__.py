"""Cramp Coach: an offline voice assistant skill for leg cramps."""

__version__ = "0.1.0"
