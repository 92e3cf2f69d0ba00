"""Shared API plumbing: the error body contract and input bounds."""
