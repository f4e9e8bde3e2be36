"""The ``pmf`` command's exit statuses, one definition for every handler."""

FAILED = 1
"""A notebook or a build failed, or another run holds the project."""
INPUT_ERROR = 2
"""The input was wrong (bad data, bad arguments): nothing ran, nothing was written."""
INTERRUPTED = 130
"""Ctrl-C or SIGTERM, as shells report a process stopped by SIGINT."""
