"""What the carrier directory sandboxes share: fault injection, a local server, seed geography."""

from .faults import DirectoryFaultKnobs, FaultInjector, Knob, RateLimitKnob, ServerErrorKnob, SlowKnob
from .places import fold, locate, nearest
from .server import FAULTS, Running, sandbox_app, serve

__all__ = [
    "FAULTS",
    "DirectoryFaultKnobs",
    "FaultInjector",
    "Knob",
    "RateLimitKnob",
    "Running",
    "ServerErrorKnob",
    "SlowKnob",
    "fold",
    "locate",
    "nearest",
    "sandbox_app",
    "serve",
]
