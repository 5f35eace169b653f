"""Handlers, one module per resource group; each module lists its operations for the route table."""
