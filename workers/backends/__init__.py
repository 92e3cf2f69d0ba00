"""Backends implementing ``graphs.runtime.ModelClient``, one module per kind of model host."""
