"""Real figures in: OHID Fingertips downloads and the services' quarterly returns workbooks.

Each source module turns its input into ``merge.Update`` rows and raises ``ImportFailed`` with
every problem it found; ``merge`` works out what would change in the data files, validates the
result and writes it atomically. Printing belongs to ``imports.cli``.
"""
