"""In-memory storage: every storage port over dicts, for tests and for host platforms' own tests."""

from .uow import MemoryStorage, MemoryUnitOfWork

__all__ = ["MemoryStorage", "MemoryUnitOfWork"]
