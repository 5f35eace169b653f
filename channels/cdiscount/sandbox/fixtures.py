"""Word lists the order generator draws from: French people, places, products, Relais Colis shops."""

from __future__ import annotations

# (civility, first name); the civility values follow the Octopia sample ("Mme"), "M." for men.
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Mme", "Camille"),
    ("Mme", "Élodie"),
    ("Mme", "Hélène"),
    ("Mme", "Anaïs"),
    ("Mme", "Chloé"),
    ("Mme", "Zoé"),
    ("Mme", "Céline"),
    ("Mme", "Gaëlle"),
    ("Mme", "Maëlys"),
    ("Mme", "Léa"),
    ("Mme", "Inès"),
    ("Mme", "Françoise"),
    ("Mme", "Noémie"),
    ("Mme", "Aurélie"),
    ("Mme", "Sophie"),
    ("M.", "François"),
    ("M.", "Jérôme"),
    ("M.", "Benoît"),
    ("M.", "Loïc"),
    ("M.", "Noël"),
    ("M.", "Théo"),
    ("M.", "Raphaël"),
    ("M.", "Mathéo"),
    ("M.", "Hervé"),
    ("M.", "Frédéric"),
    ("M.", "Joël"),
    ("M.", "Stéphane"),
    ("M.", "Thomas"),
    ("M.", "Karim"),
    ("M.", "Jean-Luc"),
)

LAST_NAMES: tuple[str, ...] = (
    "Durand",
    "Lefèvre",
    "Dupré",
    "Béranger",
    "Mérieux",
    "Lemaître",
    "Château",
    "Garnier",
    "Rousseau",
    "Faure",
    "Gauthier",
    "Chevalier",
    "Lefèbvre",
    "Bénard",
    "Noël",
    "Pétain-Roux",
    "Da Silva",
    "N'Diaye",
    "Le Goff",
    "Guérin",
    "Müller",
    "Hoarau",
    "Benali",
    "Nguyen",
    "Texier",
    "Caron",
    "Boucher",
    "Brisset",
    "d'Arvor",
    "Sénéchal",
)

STREETS: tuple[str, ...] = (
    "rue des Lilas",
    "avenue de la République",
    "boulevard Saint-Michel",
    "impasse des Châtaigniers",
    "allée des Érables",
    "chemin du Moulin",
    "place de l'Église",
    "rue Émile Zola",
    "quai de la Fosse",
    "rue du Général-de-Gaulle",
    "route de Lyon",
    "rue Jean Jaurès",
    "avenue Foch",
    "rue de la Gare",
    "rue des Écoles",
    "lotissement Les Genêts",
    "rue Pasteur",
    "cours Mirabeau",
    "rue Nationale",
)

COMPLEMENTS: tuple[str, ...] = (
    "Bât. B",
    "Appt 12",
    "Résidence Les Tilleuls",
    "3e étage gauche",
    "Escalier C",
    "Chez Mme Martin",
    "Lieu-dit La Brûlerie",
    "Porte 4, code 1234A",
)

# (postal code, city): big cities, small towns, Corsica and an overseas département.
CITIES: tuple[tuple[str, str], ...] = (
    ("75011", "Paris"),
    ("75015", "Paris"),
    ("75018", "Paris"),
    ("69003", "Lyon"),
    ("13008", "Marseille"),
    ("31000", "Toulouse"),
    ("06000", "Nice"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("34000", "Montpellier"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("35000", "Rennes"),
    ("42000", "Saint-Étienne"),
    ("63000", "Clermont-Ferrand"),
    ("38000", "Grenoble"),
    ("21000", "Dijon"),
    ("29200", "Brest"),
    ("74400", "Chamonix-Mont-Blanc"),
    ("20000", "Ajaccio"),
    ("97400", "Saint-Denis"),
    ("24200", "Sarlat-la-Canéda"),
    ("71100", "Chalon-sur-Saône"),
    ("88400", "Gérardmer"),
    ("64200", "Biarritz"),
    ("80000", "Amiens"),
    ("57000", "Metz"),
    ("49000", "Angers"),
)

COMPANIES: tuple[str, ...] = ("Boulangerie Lefèvre SARL", "Atelier Dupré & Fils", "Cabinet Mérieux", "SAS Les Délices")

COLOURS: tuple[str, ...] = ("Bleu marine", "Noir", "Blanc cassé", "Rouge bordeaux", "Vert sauge", "Écru", "Gris chiné")
SIZES: tuple[str, ...] = ("XS", "S", "M", "L", "XL", "XXL")
SHOE_SIZES: tuple[str, ...] = tuple(str(n) for n in range(36, 47))

# (title, sku stem, min price, max price, attributes kind, heavy): heavy products travel as big parcels.
PRODUCTS: tuple[tuple[str, str, float, float, str | None, bool], ...] = (
    ("Lampe de bureau LED orientable", "LAMP-LED", 19.9, 49.9, "colour", False),
    ("T-shirt coton bio col rond", "TSH-BIO", 9.99, 24.9, "apparel", False),
    ("Robe d'été fleurie", "ROBE-ETE", 24.9, 59.9, "apparel", False),
    ("Chaussures de randonnée imperméables", "CHAUS-RANDO", 49.9, 129.0, "shoes", False),
    ("Cafetière à piston 1 L inox", "CAF-PISTON", 14.9, 34.9, None, False),
    ("Poêle en fonte émaillée 28 cm", "POELE-28", 29.9, 79.9, None, False),
    ("Coque silicone pour smartphone", "COQUE-SIL", 4.99, 14.9, "colour", False),
    ("Casque audio Bluetooth à réduction de bruit", "CASQUE-BT", 39.9, 199.0, "colour", False),
    ("Tapis de yoga antidérapant 6 mm", "YOGA-6MM", 14.9, 39.9, "colour", False),
    ("Couette tempérée 220 x 240 cm", "COUETTE-220", 29.9, 89.9, None, False),
    ("Jeu de société familial — édition française", "JEU-FAM", 19.9, 44.9, None, False),
    ("Perceuse-visseuse sans fil 18 V", "PERC-18V", 49.9, 149.0, None, False),
    ("Aspirateur balai sans fil", "ASPI-BALAI", 89.9, 299.0, "colour", False),
    ("Théière en fonte japonaise 0,8 L", "THEIERE-08", 24.9, 49.9, "colour", False),
    ("Sac à dos de randonnée 30 L", "SAC-30L", 29.9, 89.9, "colour", False),
    ("Câble USB-C tressé 2 m", "USBC-2M", 5.99, 15.9, None, False),
    ("Livre de cuisine « Saveurs de Provence »", "LIVRE-PROV", 12.9, 29.9, None, False),
    ("Crème hydratante visage 50 ml", "CREME-50", 8.9, 34.9, None, False),
    ("Garage à voitures en bois", "JOUET-GARAGE", 24.9, 69.9, None, False),
    ("Réfrigérateur combiné 300 L", "FRIGO-300", 399.0, 799.0, None, True),
    ("Canapé 3 places en velours", "CANAPE-3P", 349.0, 999.0, "colour", True),
    ("Lave-linge hublot 8 kg", "LL-8KG", 299.0, 649.0, None, True),
)

# Relais Colis shops (not in the carrier seed: portside has no Relais Colis directory).
RELAIS_COLIS_POINTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("I2058", "TABAC LE BALTO", "14 RUE DE LA ROQUETTE", "75011", "Paris"),
    ("I7540", "PRESSE DE LA BASTIDE", "3 PLACE STALINGRAD", "33100", "Bordeaux"),
    ("I4033", "SUPÉRETTE DU BELVÉDÈRE", "27 AVENUE DE LA LIBÉRATION", "42000", "Saint-Étienne"),
    ("I1187", "CORDONNERIE DE LA GARE", "2 RUE DE STRASBOURG", "44000", "Nantes"),
)

# Carriers that ship the seeded home deliveries: (label as in /carriers, tracking-number shape, URL pattern).
HOME_CARRIERS: tuple[tuple[str, str, str], ...] = (
    ("Colissimo", "6A###########", "https://www.laposte.fr/outils/suivre-vos-envois?code={}"),
    ("Chronopost", "XW#########FR", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={}"),
    ("DPD", "##############", "https://trace.dpd.fr/fr/trace/{}"),
    ("GLS", "###########", "https://gls-group.com/FR/fr/suivi-colis?match={}"),
    ("Colis Privé", "##########", "https://www.colisprive.com/moncolis/pages/detailColis.aspx?numColis={}"),
)
PICKUP_CARRIERS: dict[str, tuple[str, str, str]] = {
    "mondial_relay": ("Mondial Relay", "########", "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={}"),
    "colissimo": HOME_CARRIERS[0],
    "relais_colis": ("Relais Colis", "##########", "https://www.relaiscolis.com/suivi-de-colis/?reference={}"),
}
