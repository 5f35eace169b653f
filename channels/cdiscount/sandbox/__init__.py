"""Octopia Seller API v2 sandbox: Cdiscount orders, tokens, shipments and faults, served over real HTTP."""

from .app import API_PREFIX, RunningSandbox, build_sandbox_app, start_sandbox
from .auth import TOKEN_PATH
from .config import SandboxConfig
from .faults import FaultKnobs, Knob, RateLimitKnob, ServerErrorKnob, SlowKnob, StallKnob
from .modes import PICKUP_CARRIER_BY_MODE, PICKUP_MODES
from .state import SandboxState

__all__ = [
    "API_PREFIX",
    "PICKUP_CARRIER_BY_MODE",
    "PICKUP_MODES",
    "TOKEN_PATH",
    "FaultKnobs",
    "Knob",
    "RateLimitKnob",
    "RunningSandbox",
    "SandboxConfig",
    "SandboxState",
    "ServerErrorKnob",
    "SlowKnob",
    "StallKnob",
    "build_sandbox_app",
    "start_sandbox",
]
