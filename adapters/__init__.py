"""Adapters: the outside world (Postgres, memory, HTTP, carriers) behind the core's ports."""
