"""portside core: the domain model, its ports and use cases (stdlib + msgspec only)."""
