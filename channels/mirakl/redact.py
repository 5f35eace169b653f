"""Secret masking for the Mirakl client: the shared Redactor (the shop API key, which an error page may echo)."""

from portside.adapters.http.redact import MASK, Redactor

__all__ = ["MASK", "Redactor"]
