"""Seed data for sandbox orders: products per catalogue, buyers' names, streets and towns."""

# ruff: noqa: E501  (the tables read best one row a line)

from __future__ import annotations

from decimal import Decimal

from .operators import Catalogue

# fmt: off
# (seller SKU, title, unit price, options as (code, values))
Product = tuple[str, str, str, tuple[tuple[str, tuple[str, ...]], ...]]
PRODUCTS: dict[Catalogue, tuple[Product, ...]] = {
    "diy": (
        ("LM-PERC-18V", "Perceuse visseuse sans fil 18 V", "89.90", ()),
        ("LM-SCIE-SAU", "Scie sauteuse pendulaire 650 W", "59.00", ()),
        ("LM-NIV-LAS", "Niveau laser croix autonivelant", "44.50", ()),
        ("LM-PEINT-2L", "Peinture murale blanc mat 2,5 L", "24.90", (("teinte", ("Blanc", "Lin", "Gris perle")),)),
        ("LM-VIS-500", "Coffret 500 vis bois", "12.99", ()),
        ("LM-ESCAB-5", "Escabeau aluminium 5 marches", "69.00", ()),
    ),
    "fashion": (
        ("GL-ROBE-LIN", "Robe en lin", "129.00", (("couleur", ("Écru", "Bleu")), ("taille", ("36", "38", "40")))),
        ("GL-CHEM-OX", "Chemise oxford", "79.00", (("couleur", ("Blanc", "Ciel")), ("taille", ("S", "M", "L")))),
        ("GL-SAC-CUIR", "Sac seau en cuir", "189.00", (("couleur", ("Camel", "Noir")),)),
        ("GL-FOUL-SOIE", "Foulard en soie", "59.00", ()),
    ),
    "sport": (
        ("SP-RAQ-TEN", "Raquette de tennis adulte", "49.99", (("grip", ("G2", "G3")),)),
        ("SP-GOURDE", "Gourde isotherme 750 ml", "14.99", ()),
        ("SP-TAPIS-YO", "Tapis de yoga 8 mm", "24.99", (("couleur", ("Violet", "Vert")),)),
        ("SP-CHAUS-RUN", "Chaussures de running", "89.00", (("pointure", ("40", "42", "44")),)),
        ("SP-BALLON-5", "Ballon de football taille 5", "19.99", ()),
    ),
    "tech": (
        ("TK-CASQUE-BT", "Casque Bluetooth à réduction de bruit", "149.00", ()),
        ("TK-CLE-USB", "Clé USB 128 Go", "15.90", ()),
        ("TK-SOURIS", "Souris sans fil ergonomique", "39.90", ()),
        ("TK-CHARG-65", "Chargeur USB-C 65 W", "34.90", ()),
    ),
    "home": (
        ("CF-LAMPE", "Lampe à poser en laiton", "49.00", ()),
        ("CF-COUSSIN", "Lot de 2 coussins velours", "29.99", (("couleur", ("Moutarde", "Vert sauge")),)),
        ("CF-TABLE-B", "Table basse chêne massif", "249.00", ()),
    ),
    "general": (
        ("GN-CAFE-1KG", "Café en grains 1 kg", "17.90", ()),
        ("GN-POELE-28", "Poêle antiadhésive 28 cm", "32.00", ()),
        ("GN-PLAID", "Plaid polaire 150 x 200", "22.50", (("couleur", ("Gris", "Bleu nuit")),)),
        ("GN-BOUILL", "Bouilloire électrique 1,7 L", "39.00", ()),
    ),
}

FIRST_NAMES = ("Claire", "Julien", "Camille", "Thomas", "Léa", "Nicolas", "Inès", "Mathieu", "Sophie", "Hugo", "Élodie", "Karim")
LAST_NAMES = ("Durand", "Martin", "Bernard", "Petit", "Moreau", "Lefèvre", "Garnier", "Roux", "Fontaine", "N'Diaye", "Mercier")
STREETS = ("rue des Lilas", "avenue Jean Jaurès", "rue de la République", "boulevard Victor Hugo", "impasse des Tilleuls", "chemin du Moulin")
# (postcode, town, ISO-3 country) by shipping country
TOWNS: dict[str, tuple[tuple[str, str], ...]] = {
    "FRA": (("75011", "Paris"), ("69003", "Lyon"), ("31000", "Toulouse"), ("33000", "Bordeaux"), ("44000", "Nantes"), ("59000", "Lille")),
    "ESP": (("28004", "Madrid"), ("08001", "Barcelona"), ("46001", "Valencia")),
}
COUNTRY_NAMES = {"FRA": "France", "ESP": "España", "BEL": "Belgique"}
PROMO_CODES = ("BIENVENUE10", "SOLDES", "FIDELITE5", None)
# fmt: on


def price(text: str) -> Decimal:
    return Decimal(text)
