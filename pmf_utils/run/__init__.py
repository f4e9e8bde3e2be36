"""Executing the quarter's notebooks with papermill on warm kernels, one run at a time per
project."""
