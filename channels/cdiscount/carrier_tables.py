"""Carrier data a store can override: platform code → Octopia label, and default tracking URLs.

Labels follow reference §6 and the live ``GET /carriers`` list of §4.8 (``DHL``, ``La Poste`` and
``autre`` are the Octopia spellings, not the legacy SOAP ones). Matching ignores case, accents,
surrounding spaces and ``_``/``-``, so ``mondial_relay``, ``Mondial Relay `` and ``MONDIAL-RELAY``
meet. URL templates take the tracking number as ``{tracking}``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote

DEFAULT_CARRIER_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "colissimo": "Colissimo",
        "laposte_colissimo": "Colissimo",
        "mondial_relay": "Mondial Relay",
        "chronopost": "Chronopost",
        "chronofresh": "Chronofresh",
        "colis_prive": "Colis Privé",
        "relais_colis": "Relais Colis",
        "dpd": "DPD",
        "dpd_fr": "DPD",
        "gls": "GLS",
        "ups": "UPS",
        "dhl": "DHL",
        "dhl_express": "DHL",
        "deutsche_post": "Deutsche Post",
        "fedex": "FedEx",
        "tnt": "TNT",
        "la_poste": "La Poste",
        "laposte": "La Poste",
        "lettre_suivie": "La Poste",
        "postnl": "PostNL",
        "bpost": "Bpost",
        "geodis": "GEODIS",
        "db_schenker": "DB Schenker",
        "kuehne_nagel": "Kuehne + Nagel",
        "royal_mail": "Royal Mail",
        "hermes": "Hermes",
        "asendia": "Asendia",
        "brt": "BRT",
        "seur": "Seur",
        "heppner": "Heppner",
        "dachser": "Dachser",
        "gefco": "Gefco",
        "agediss": "Agediss",
        "cubyn": "CUBYN",
        "amazon_shipping": "Amazon Shipping",
        "other": "autre",  # Octopia's "other" (code ``default``, §6)
    }
)

DEFAULT_TRACKING_URLS: Mapping[str, str] = MappingProxyType(
    {
        "colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}",
        "la_poste": "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}",
        "chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={tracking}",
        "mondial_relay": "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={tracking}",
        "colis_prive": "https://www.colisprive.com/moncolis/pages/detailColis.aspx?numColis={tracking}",
        "relais_colis": "https://www.relaiscolis.com/suivi-de-colis/?reference={tracking}",
        "dpd": "https://trace.dpd.fr/fr/trace/{tracking}",
        "gls": "https://gls-group.com/FR/fr/suivi-colis?match={tracking}",
        "ups": "https://www.ups.com/track?tracknum={tracking}",
        "dhl": "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={tracking}",
        "fedex": "https://www.fedex.com/fedextrack/?trknbr={tracking}",
        "tnt": "https://www.tnt.com/express/fr_fr/site/outils-expedition/suivi.html?searchType=con&cons={tracking}",
    }
)


def carrier_key(name: str) -> str:
    """Loose key of a carrier name or code: no accents, case, ``_``/``-`` or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").replace("-", " ").split())


class CarrierTables:
    """The store's tables: the defaults with its overrides on top, keyed loosely."""

    def __init__(self, labels: Mapping[str, str] = {}, tracking_urls: Mapping[str, str] = {}) -> None:
        merged_labels = {**DEFAULT_CARRIER_LABELS, **labels}
        self._labels = {carrier_key(code): label.strip() for code, label in merged_labels.items()}
        merged_urls = {**DEFAULT_TRACKING_URLS, **tracking_urls}
        self._urls = {carrier_key(code): url for code, url in merged_urls.items()}
        # A label names its carrier too (``Colissimo`` → the colissimo URL).
        for code, label in merged_labels.items():
            url = merged_urls.get(code)
            if url is not None:
                self._urls.setdefault(carrier_key(label), url)

    def label_for(self, carrier: str) -> str | None:
        """The Octopia label the table gives a platform code, or None."""
        return self._labels.get(carrier_key(carrier))

    def tracking_url(self, carrier: str, tracking_number: str) -> str | None:
        template = self._urls.get(carrier_key(carrier))
        if template is None:
            return None
        return template.replace("{tracking}", quote(tracking_number.strip(), safe=""))
