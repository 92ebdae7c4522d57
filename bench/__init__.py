"""Benchmarks: each script prints a figure and a ratio against a baseline from the same run."""
