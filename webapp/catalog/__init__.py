"""The model catalog: models the workers serve, plus each team's OpenAI-compatible endpoints."""
