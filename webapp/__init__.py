"""Octograph's Django project: settings, URLs and one app per bounded context
(accounts and teams, graph store, model catalog)."""
