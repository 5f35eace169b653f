"""Mondial Relay directory sandbox: the SOAP service over the shared seed points, with fault knobs."""

from ...sandbox_kit import FAULTS
from .app import PATH, MondialRelaySandboxConfig, build_app, start_sandbox

__all__ = ["FAULTS", "PATH", "MondialRelaySandboxConfig", "build_app", "start_sandbox"]
