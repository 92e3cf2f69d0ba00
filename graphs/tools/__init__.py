"""Functions a ``tool`` node calls (Octopus v2 actions): argument schemas, the built-in functions
that do their job offline (calculator, unit conversion, date arithmetic) and HTTP webhooks."""
