"""The graph store: graphs owned by teams, immutable numbered versions, share links."""
