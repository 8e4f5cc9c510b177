"""The domain: claims, sources, metrics and how stated figures read as intervals."""
