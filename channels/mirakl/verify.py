"""Connecting a store: prove the base URL, the API key and the shop with one cheap OR11 call."""

from __future__ import annotations

from portside.core.errors import ChannelAuthFailed, ChannelUnavailable

from .client import MiraklClient
from .problems import MiraklRejected
from .settings import MiraklSettings


class MiraklVerifier:
    def __init__(self, client: MiraklClient, settings: MiraklSettings, display_name: str) -> None:
        self._client = client
        self._settings = settings
        self._name = display_name

    async def verify(self) -> None:
        """Raises ChannelAuthFailed with what to fix, or ChannelUnavailable when Mirakl cannot be reached.

        OR11 for one order depends on the key and the shop alike (SH21 may not check the shop).
        """
        instance = self._settings.instance
        try:
            await self._client.get("/orders", {"max": "1", "paginate": "true"})
        except ChannelUnavailable as exc:
            raise ChannelUnavailable(
                f"{self._name} at {instance} could not be reached to check the API key: {str(exc).rstrip('. ')}. "
                "Try again in a few minutes.",
                retry_after=exc.retry_after,
            ) from None
        except MiraklRejected as exc:
            if exc.status == 404:
                raise ChannelAuthFailed(
                    f"no Mirakl seller API answers at {instance}: check the store's base URL, the operator's "
                    "instance address such as https://<name>-prod.mirakl.net (ask the marketplace for it)"
                ) from None
            shop = f" and shop id {self._client.shop_id}" if self._client.shop_id else ""
            raise ChannelAuthFailed(
                f"{self._name} refused a test call with this API key{shop} ({exc}); check both in the seller "
                "back office"
            ) from None
