"""Outgoing webhooks: the HMAC-SHA256 signature and the HTTP sender, knowing nothing of orders."""

from .sender import SubscriberGone, WebhookSender
from .signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign, verify

__all__ = [
    "EVENT_ID_HEADER",
    "EVENT_TYPE_HEADER",
    "SIGNATURE_HEADER",
    "SubscriberGone",
    "WebhookSender",
    "sign",
    "verify",
]
