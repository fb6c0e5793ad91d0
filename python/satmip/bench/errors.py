"""Errors the harness raises before any run starts (fail fast, clear message)."""


class BenchConfigError(ValueError):
    """An unknown solver, a malformed configuration file, an empty benchmark set."""
