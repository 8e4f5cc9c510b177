"""Reading, validating, caching and importing datasets."""
