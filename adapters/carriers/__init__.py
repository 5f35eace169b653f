"""Carrier-side adapters: pickup point directories (Colissimo, Mondial Relay) and their shared seed data."""
