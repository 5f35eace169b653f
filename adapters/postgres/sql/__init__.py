"""Named SQL queries as package data, one file per concept (loaded by ``portside.adapters.postgres.queries``)."""
