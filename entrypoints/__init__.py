"""Entry points: the HTTP API, the scheduler, the CLI and the composition root."""
