"""Colissimo directory sandbox: Point Retrait v2 REST/JSON over the shared seed points, with fault knobs."""

from ...sandbox_kit import FAULTS
from .app import PATH, ColissimoSandboxConfig, build_app, start_sandbox

__all__ = ["FAULTS", "PATH", "ColissimoSandboxConfig", "build_app", "start_sandbox"]
