"""What the carrier directory sandboxes share: fault injection, a local server, seed geography."""

from .faults import Fault, FaultInjector
from .places import fold, locate, nearest
from .server import Running, serve

__all__ = ["Fault", "FaultInjector", "Running", "fold", "locate", "nearest", "serve"]
