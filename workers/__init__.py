"""Model hosting for Octograph: catalog, weight store, model cache and backends.

Everything importable from here is light: torch, transformers, peft and httpx are imported only
inside the functions that need them, so the engine, the CLI and unit tests can import
``workers`` without paying for (or having) the ML stack.
"""
