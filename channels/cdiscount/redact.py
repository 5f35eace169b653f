"""Secret masking for the Octopia client: the shared Redactor (the client secret, and the latest tokens)."""

from portside.adapters.http.redact import MASK, Redactor

__all__ = ["MASK", "Redactor"]
