"""The carrier referential ``GET /carriers`` answers: Octopia's list as measured live (reference §4.8).

Codes are not unique (``pcc`` is La Poste, Colissimo, Chronopost and Chronofresh), so a shipment names
its carrier by **label**. One label comes with a trailing space as in the measured data; the sandbox
puts it on ``Mondial Relay`` on purpose, so a client that does not trim cannot match a common carrier.
"""

from __future__ import annotations

CARRIERS: tuple[tuple[str, str], ...] = (
    ("dpd", "DPD"), ("pnl", "PostNL"), ("fex", "FedEx"), ("med", "Med Africa"), ("tnt", "TNT"),
    ("mre", "Mondial Relay "), ("brt", "BRT"), ("mal", "Malaysia Post"), ("fwl", "FastWL"), ("cub", "CUBYN"),
    ("dac", "Dachser"), ("cne", "CNE Express"), ("ems", "China EMS"), ("yun", "Yun Express"), ("ara", "Aramex"),
    ("hep", "Heppner"), ("default", "autre"), ("roy", "Royal Mail"), ("hmr", "Hermes"), ("gls", "GLS"),
    ("asd", "Asendia"), ("sfe", "SF Express"), ("sfc", "SFC Service"), ("ups", "UPS"), ("cpr", "Colis Privé"),
    ("cnp", "China Post"), ("4px", "4PX"), ("maz", "Mazet"), ("rlc", "Relais Colis"), ("dbs", "DB Schenker"),
    ("bps", "Bpost"), ("wip", "WishPost"), ("wan", "WanbExpress"), ("gef", "Gefco"), ("ser", "Seur"),
    ("CLogistics", "CLOG"), ("khn", "Kuehne + Nagel"), ("pcc", "La Poste"), ("pcc", "Colissimo"),
    ("pcc", "Chronopost"), ("pcc", "Chronofresh"), ("geo", "GEODIS"), ("dhldp", "DHL"), ("dhldp", "Deutsche Post"),
    ("yan", "Yanwen"), ("vir", "VIR"), ("tgt", "TONGTUEXPRESS"), ("j&t", "AFS"), ("cdr", "Coordinadora"),
    ("sue", "SwissUniversalExpress"), ("dsv", "DSV dpd"), ("clogp30", "CChezVous"), ("trk", "Trusk"),
    ("agd", "Agediss"), ("gofo", "GofoAfs"), ("gel", "Gel"), ("erd", "Eurodis"), ("jsp", "Jersey Post"),
    ("syp", "Sunyou Post"), ("ams", "Amazon Shipping"), ("vcv", "VertChezVous"), ("can", "Cainiao"),
    ("jcex", "JCEX"), ("ydh", "YDH"), ("war", "Warning"), ("landmark-global", "Landmark"),
)  # fmt: skip


def carriers_body() -> list[dict[str, str]]:
    return [{"code": code, "label": label} for code, label in CARRIERS]


def match_label(carrier_name: str) -> str | None:
    """The referential label ``carrier_name`` designates (trimmed, case-insensitive), or None."""
    wanted = carrier_name.strip().casefold()
    return next((label.strip() for _, label in CARRIERS if label.strip().casefold() == wanted), None)
