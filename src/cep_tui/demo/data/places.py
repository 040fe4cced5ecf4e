"""Where the young people live (towns of each structure, with weights and streets), their
mail providers, and where appointments take place."""

# city, postal code, weight, streets
PLACES_ML2A = (
    ("Ajaccio", "20000", 30, (
        "cours Napoléon", "rue Fesch", "boulevard Pascal Rossini", "cours Grandval",
        "rue du Général Fiorella", "boulevard Sampiero", "avenue de Paris",
        "rue Cardinal Fesch", "boulevard Madame Mère", "rue Bonaparte",
        "avenue Beverini Vico", "route des Sanguinaires",
    )),
    ("Ajaccio", "20090", 30, (
        "avenue Noël Franchini", "quartier des Salines, résidence Les Jardins de l'Empereur",
        "chemin de la Pietrina", "avenue du Maréchal Lyautey", "quartier Saint-Jean",
        "boulevard Louis Campi", "résidence Les Cannes, bât. C", "chemin de Biancarello",
        "avenue de la Grande Armée", "route du Vazzio",
    )),
    ("Alata", "20167", 3, ("route d'Alata", "lotissement U Pratu")),
    ("Afa", "20167", 3, ("lotissement Les Oliviers", "route de Baléone")),
    ("Sarrola-Carcopino", "20167", 3, ("route de Mezzavia", "hameau de Carcopino")),
    ("Bastelicaccia", "20129", 3, ("route de l'Aéroport", "lotissement A Macchja")),
    ("Grosseto-Prugna", "20166", 4, ("Porticcio, route de Sainte-Lucie",
                                     "Porticcio, résidence Agosta Plage")),
    ("Cauro", "20117", 1, ("route nationale 196",)),
    ("Porto-Vecchio", "20137", 4, ("rue du Général de Gaulle", "route de Bastia",
                                   "quartier Pifano")),
    ("Propriano", "20110", 3, ("avenue Napoléon", "rue du Port")),
    ("Sartène", "20100", 2, ("cours Sœur Amélie", "rue Borgo")),
    ("Bastia", "20200", 2, ("boulevard Paoli", "rue César Campinchi")),
    ("Bastia", "20600", 2, ("quartier Lupino", "avenue de la Libération")),
    ("L'Île-Rousse", "20220", 2, ("avenue Paul Doumer", "rue Notre-Dame")),
    ("Bonifacio", "20169", 1, ("montée Rastello",)),
    ("Cargèse", "20130", 1, ("rue du Docteur Dragacci",)),
    ("Vico", "20160", 1, ("place Padre Rocco",)),
)  # fmt: skip

PLACES_MLBA = (
    ("L'Île-Rousse", "20220", 35, ("avenue Paul Doumer", "rue Notre-Dame",
                                   "promenade A Marinella", "place Paoli")),
    ("Calvi", "20260", 30, ("boulevard Wilson", "avenue de la République",
                            "rue Clemenceau", "quartier Alzeta")),
    ("Lumio", "20260", 8, ("route de Calvi",)),
    ("Calenzana", "20214", 10, ("rue Saint-Blaise", "route de Calvi")),
    ("Belgodère", "20226", 6, ("place de l'Église",)),
    ("Monticello", "20220", 6, ("hameau de Monticello",)),
    ("Algajola", "20220", 5, ("route du Port",)),
)  # fmt: skip

MAIL_DOMAINS = ("gmail.com", "orange.fr", "hotmail.fr", "laposte.net", "sfr.fr", "free.fr",
                "outlook.fr", "yahoo.fr", "icloud.com")  # fmt: skip

# Where each structure receives young people for an appointment (the seat twice: most do).
APPOINTMENT_PLACES = {
    "ML2A": ("Siège – Ajaccio", "Siège – Ajaccio", "Antenne des Salines",
             "Permanence de Porticcio", "Permanence de Propriano", "Entretien téléphonique"),
    "MLBA": ("Siège – L'Île-Rousse", "Siège – L'Île-Rousse", "Permanence de Calvi",
             "Entretien téléphonique"),
}  # fmt: skip
