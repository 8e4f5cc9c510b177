"""Turning results into text for the terminal, files for reports, and charts."""
