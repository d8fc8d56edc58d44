"""SEC010's static analysis: bandit through its Python API, with a content-addressed result cache.
Nothing here imports bandit until a scan runs."""
