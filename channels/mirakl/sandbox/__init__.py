"""Mirakl seller API sandbox: one operator's instance (orders, acceptance, tracking, shipments, faults) over HTTP."""

from .app import API, Running, build_app, start_sandbox
from .config import MiraklSandboxConfig
from .faults import (
    ENDPOINTS,
    MALFORMATIONS,
    Knob,
    MiraklFaultKnobs,
    RateLimitKnob,
    ServerErrorKnob,
    SlowKnob,
    StallKnob,
)
from .operators import Operator, operator, operator_names
from .state import SandboxState

__all__ = [
    "API",
    "ENDPOINTS",
    "MALFORMATIONS",
    "Knob",
    "MiraklFaultKnobs",
    "MiraklSandboxConfig",
    "Operator",
    "RateLimitKnob",
    "Running",
    "SandboxState",
    "ServerErrorKnob",
    "SlowKnob",
    "StallKnob",
    "build_app",
    "operator",
    "operator_names",
    "start_sandbox",
]
