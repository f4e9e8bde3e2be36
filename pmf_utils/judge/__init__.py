"""Judgements on the data, pure and printing nothing: status, direction, benchmarks, SPC,
targets, assessment."""
