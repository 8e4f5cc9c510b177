"""Computations over a validated dataset: comparisons, estimates, timelines, diffs and consistency checks."""
