"""Colissimo pickup point directory over Point Retrait v2 (REST/JSON)."""

from .directory import ColissimoDirectory
from .errors import ERROR_TABLE, error_for_code
from .settings import PRODUCTION_URL, ColissimoSettings

__all__ = ["ERROR_TABLE", "PRODUCTION_URL", "ColissimoDirectory", "ColissimoSettings", "error_for_code"]
