"""Bounds for integers the API accepts, so that no value reaches a query outside the range of
the column it is compared with (PostgreSQL would raise instead of finding nothing)."""

MAX_ID = 2**63 - 1  # BigAutoField primary keys
MAX_VERSION = 2**31 - 1  # PositiveIntegerField on every supported database
