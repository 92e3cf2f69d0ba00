"""The engine: a pure scheduler over plain run state, and the drivers that run it."""
