"""Connecting a store: prove the credentials and the seller id with a token and one cheap call."""

from __future__ import annotations

from portside.core.errors import ChannelAuthFailed, ChannelUnavailable

from .auth import TokenProvider
from .client import OctopiaClient
from .problems import OctopiaRejected
from .settings import CdiscountCredentials, CdiscountSettings


class CdiscountVerifier:
    def __init__(
        self,
        client: OctopiaClient,
        tokens: TokenProvider,
        credentials: CdiscountCredentials,
        settings: CdiscountSettings,
    ) -> None:
        self._client = client
        self._tokens = tokens
        self._seller_id = credentials.seller_id.strip()
        self._settings = settings

    async def verify(self) -> None:
        """Raises ChannelAuthFailed with what to fix, or ChannelUnavailable when Octopia cannot be reached.

        The call is ``GET /orders`` for one order of the sales channel: a documented endpoint (§4.2)
        that depends on the seller id, which ``/carriers`` may not check.
        """
        try:
            await self._tokens.token()
        except ChannelUnavailable as exc:
            raise ChannelUnavailable(
                f"Octopia could not be reached to check the credentials: {str(exc).rstrip('. ')}. "
                "Try again in a few minutes.",
                retry_after=exc.retry_after,
            ) from None
        params = {"pageIndex": "1", "pageSize": "1", "salesChannelId": self._settings.sales_channel_id}
        try:
            await self._client.get("/orders", params)
        except ChannelAuthFailed:
            raise
        except OctopiaRejected as exc:
            if exc.status in (400, 404) and any("seller" in field.casefold() for field in exc.field_errors):
                raise ChannelAuthFailed(self._seller_message(exc.status)) from None
            raise ChannelAuthFailed(
                f"Octopia accepted the client id/secret but refused a test call ({exc}); check the seller id "
                f"({self._seller_id}) and the sales channel ({self._settings.sales_channel_id})."
            ) from None

    def _seller_message(self, status: int) -> str:
        return (
            f"Octopia did not accept seller id {self._seller_id!r} (HTTP {status}): enter the numeric seller id "
            "shown in the Octopia Seller zone for the account these API credentials belong to."
        )
