"""The offers of service: each structure's fixed catalogue, and the pieces the "large"
size assembles its generated offers from."""

from dataclasses import dataclass

from cep_tui.vocabulary import CEP_CODE, OfferOrigin


@dataclass(frozen=True)
class OfferSpec:
    """An offer as the catalogue describes it, its dates relative to today."""

    name: str
    theme: str
    act: str
    measure: str | None  # a national measure's label
    partner: str
    state: str
    start: tuple[int, int, int] | int  # (years back, month, day) or days from today
    end: int | None = None  # days from today
    offer_type: str = ""
    contract: str = ""
    regional_act: str = ""
    public: str = "Jeunes de 16 à 25 ans suivis par la Mission Locale."
    prerequisites: str = ""
    places: int | None = None
    contact: str = ""
    origin: str = OfferOrigin.ML.value
    referent: int = 0  # index into the structure's counsellors


FORMATION = "Info. Conseil sur les formations"
PROJECT = "Aide à la construction du projet"
JOB_SEARCH = "Accompagnement à la recherche d'emploi"
MATCH = "Mise en relation sur une offre"
WORKSHOP = "Atelier collectif"
MOBILITY = "Aide à la mobilité"
RIGHTS = "Accès aux droits"
WELCOME = "Accueil et information"
ML2A_CONTACT = "Mission Locale du Pays Ajaccien – 04 95 10 40 00"

OFFERS_ML2A = (
    OfferSpec("OFFRE CEP", "Formation", FORMATION, CEP_CODE, "", "Permanente", (4, 4, 18),
              offer_type="Accueil individualisé", public="Jeunes de plus de 16 ans souhaitant "
              "faire le point sur leur situation professionnelle.", contact=ML2A_CONTACT),
    OfferSpec("AFPA RECEPTION NISTE EN HOTELLERIE AJACCIO", "Formation", FORMATION, CEP_CODE,
              "AFPA Ajaccio", "Ponctuelle", -420, offer_type="Formation qualifiante",
              contract="Stage de formation professionnelle",
              prerequisites="Niveau 3e ; anglais de base ; entretien de sélection.",
              places=12, contact="AFPA Ajaccio, centre de Mezzavia – 04 95 23 70 00",
              origin=OfferOrigin.OTHER.value, referent=1),
    OfferSpec("GR2B RÉCEPTION NISTE ILE ROUSSE", "Formation", FORMATION, CEP_CODE,
              "GRETA de la Haute-Corse", "Ponctuelle", -380, offer_type="Formation qualifiante",
              regional_act="Formation Collectivité de Corse",
              prerequisites="Projet validé dans l'hôtellerie ; mobilité vers L'Île-Rousse.",
              places=10, contact="GRETA 2B, antenne de L'Île-Rousse",
              origin=OfferOrigin.OTHER.value),
    OfferSpec("CEP – ATELIER « FAIRE LE POINT SUR SON PARCOURS »", "Projet professionnel",
              WORKSHOP, CEP_CODE, "", "Permanente", -900, offer_type="Atelier",
              places=8, contact=ML2A_CONTACT, referent=1),
    OfferSpec("CEP – ENTRETIEN CONSEIL EN ÉVOLUTION PROFESSIONNELLE", "Projet professionnel",
              PROJECT, CEP_CODE, "", "Permanente", -1000, offer_type="Entretien individuel",
              contact=ML2A_CONTACT),
    OfferSpec("VAE – INFORMATION COLLECTIVE", "Formation", FORMATION, CEP_CODE,
              "Transitions Pro Corse", "Ponctuelle", -300, offer_type="Information collective",
              prerequisites="Un an d'expérience dans le métier visé.", places=15,
              contact="Transitions Pro Corse – Ajaccio"),
    OfferSpec("CONTRAT D'ENGAGEMENT JEUNE – PARCOURS INTENSIF", "Emploi", JOB_SEARCH, "CEJ",
              "France Travail", "Permanente", -1100, offer_type="Accompagnement",
              contract="Contrat d'engagement jeune",
              prerequisites="Ni en emploi ni en formation ; 15 à 20 heures d'activité par "
              "semaine.", contact=ML2A_CONTACT),
    OfferSpec("PACEA – PARCOURS D'ACCOMPAGNEMENT CONTRACTUALISÉ", "Projet professionnel",
              PROJECT, "PACEA", "", "Permanente", -1200, offer_type="Accompagnement",
              contact=ML2A_CONTACT, referent=1),
    OfferSpec("JOB DATING SAISONNIERS HÔTELLERIE-RESTAURATION", "Emploi", MATCH, None,
              "France Travail Ajaccio", "Ponctuelle", -250, end=-200, offer_type="Job dating",
              contract="CDD saisonnier", places=40,
              contact="France Travail Ajaccio – agence du Finosello"),
    OfferSpec("FORUM DE L'ALTERNANCE CCI AJACCIO", "Formation", FORMATION, None,
              "CCI de Corse – Ajaccio", "Ponctuelle", -160, end=-150, offer_type="Forum",
              contract="Contrat d'apprentissage", contact="CCI de Corse, quai l'Herminier"),
    OfferSpec("AIDE AU PERMIS DE CONDUIRE B", "Citoyenneté", MOBILITY, None,
              "Collectivité de Corse", "Permanente", -700, offer_type="Aide financière",
              prerequisites="Code obtenu ; projet professionnel nécessitant le permis.",
              places=25, contact=ML2A_CONTACT),
    OfferSpec("ATELIER CV ET LETTRE DE MOTIVATION", "Emploi", WORKSHOP, None, "",
              "Permanente", -800, offer_type="Atelier", places=10, contact=ML2A_CONTACT,
              referent=1),
    OfferSpec("SIMULATION D'ENTRETIEN D'EMBAUCHE", "Emploi", WORKSHOP, "Parrainage",
              "Réseau des parrains de la ML2A", "Ponctuelle", -200, offer_type="Atelier",
              places=6, contact=ML2A_CONTACT),
    OfferSpec("BILAN DE SANTÉ CPAM", "Santé", RIGHTS, None, "CPAM de Corse-du-Sud",
              "Permanente", -650, offer_type="Bilan", contact="CPAM, centre d'examens de santé"),
    OfferSpec("POINT ÉCOUTE JEUNES – SOUTIEN PSYCHOLOGIQUE", "Santé", RIGHTS, None,
              "Maison des adolescents de Corse-du-Sud", "Permanente", -560,
              offer_type="Permanence", contact="Permanence le mercredi après-midi"),
    OfferSpec("FOYER DE JEUNES TRAVAILLEURS – DEMANDE DE LOGEMENT", "Logement", RIGHTS, None,
              "FJT d'Ajaccio", "Permanente", -900, offer_type="Hébergement",
              prerequisites="Être en emploi, en formation ou en alternance.", places=4),
    OfferSpec("AIDE MOBILI-JEUNE", "Logement", RIGHTS, None, "Action Logement",
              "Permanente", -500, offer_type="Aide financière",
              prerequisites="Alternant(e) de moins de 30 ans."),
    OfferSpec("SERVICE CIVIQUE EN CORSE-DU-SUD", "Citoyenneté", MATCH, None,
              "Ligue de l'enseignement de Corse", "Permanente", -600,
              offer_type="Mission de service civique", contract="Engagement de service civique",
              places=20),
    OfferSpec("BAFA – FORMATION GÉNÉRALE", "Loisir sport culture", FORMATION, None, "UFCV",
              "Ponctuelle", -120, end=90, offer_type="Formation", places=16,
              prerequisites="Avoir 17 ans au premier jour de la session."),
    OfferSpec("PASS'SPORT ET PASS CULTURE", "Loisir sport culture", WELCOME, None,
              "Service jeunesse de la ville d'Ajaccio", "Permanente", -450,
              offer_type="Information"),
    OfferSpec("PRÉPARATION OPÉRATIONNELLE À L'EMPLOI – BTP", "Formation", FORMATION, "PPAE",
              "France Travail", "Ponctuelle", -90, end=60, offer_type="POEC",
              contract="CDI à l'issue de la formation", places=12,
              prerequisites="Inscrit(e) à France Travail ; aptitude physique."),
    OfferSpec("TITRE PROFESSIONNEL SERVEUR EN RESTAURATION", "Formation", FORMATION, None,
              "AFPA Ajaccio", "Ponctuelle", -60, end=200, offer_type="Formation qualifiante",
              places=12, origin=OfferOrigin.OTHER.value),
    OfferSpec("CAP CUISINE EN APPRENTISSAGE", "Formation", FORMATION, None,
              "Chambre de Métiers et de l'Artisanat de Corse-du-Sud", "Permanente", -730,
              offer_type="Apprentissage", contract="Contrat d'apprentissage",
              prerequisites="Avoir trouvé un employeur ; 16 ans révolus.",
              origin=OfferOrigin.OTHER.value),
    OfferSpec("CHANTIER D'INSERTION – SENTIERS DU LITTORAL", "Emploi", MATCH, None,
              "Association Sentieri di Corsica", "Ponctuelle", -340, end=-30,
              offer_type="Chantier d'insertion", contract="CDDI", places=8),
    OfferSpec("ATELIER NUMÉRIQUE – DÉMARCHES EN LIGNE", "Citoyenneté", WORKSHOP, None, "",
              "Inactive", -1050, offer_type="Atelier", places=8, referent=2),
    OfferSpec("INSCRIPTION À FRANCE TRAVAIL", "Emploi", RIGHTS, "PPAE", "France Travail",
              "Permanente", -1300, offer_type="Démarche"),
)  # fmt: skip

OFFERS_MLBA = (
    OfferSpec("OFFRE CEP BALAGNE", "Formation", FORMATION, CEP_CODE, "", "Permanente",
              (5, 9, 1), offer_type="Accueil individualisé",
              contact="Mission Locale de Balagne – L'Île-Rousse"),
    OfferSpec("EMPLOIS SAISONNIERS CALVI", "Emploi", MATCH, None, "France Travail Calvi",
              "Ponctuelle", -240, end=-60, contract="CDD saisonnier", places=30),
    OfferSpec("GR2B RÉCEPTION NISTE ILE ROUSSE", "Formation", FORMATION, CEP_CODE,
              "GRETA de la Haute-Corse", "Ponctuelle", -380, places=10,
              origin=OfferOrigin.OTHER.value),
)  # fmt: skip

# Pieces of the generated catalogue (size "large").
GENERATED_OFFERS = (
    ("ATELIER CV ET LETTRE DE MOTIVATION", "Emploi", WORKSHOP, None, ""),
    ("JOB DATING {sector}", "Emploi", MATCH, None, "France Travail"),
    ("TITRE PRO {trade}", "Formation", FORMATION, None, "AFPA"),
    ("TITRE PRO {trade}", "Formation", FORMATION, CEP_CODE, "GRETA de Corse"),
    ("INFORMATION COLLECTIVE CEP", "Projet professionnel", PROJECT, CEP_CODE, ""),
    ("DÉCOUVERTE DES MÉTIERS {sector}", "Projet professionnel", PROJECT, None, "CCI de Corse"),
    ("AIDE AU PERMIS B", "Citoyenneté", MOBILITY, None, "Collectivité de Corse"),
    ("LOGEMENT DES JEUNES", "Logement", RIGHTS, None, "Action Logement"),
    ("BILAN DE SANTÉ", "Santé", RIGHTS, None, "CPAM"),
    ("SPORT ET INSERTION", "Loisir sport culture", WORKSHOP, None, "CROS de Corse"),
    ("SERVICE CIVIQUE {sector}", "Citoyenneté", MATCH, None, "Unis-Cité"),
    ("PARRAINAGE VERS L'EMPLOI", "Emploi", JOB_SEARCH, "Parrainage", ""),
)  # fmt: skip
SECTORS = ("HÔTELLERIE", "RESTAURATION", "BTP", "COMMERCE", "TOURISME", "AGRICULTURE",
           "AIDE À LA PERSONNE", "NAUTISME", "LOGISTIQUE", "NUMÉRIQUE")  # fmt: skip
TRADES = ("RÉCEPTIONNISTE", "SERVEUR", "CUISINIER", "MAÇON", "VENDEUR CONSEIL",
          "AGENT DE SÉCURITÉ", "ASSISTANT DE VIE", "AGENT MAGASINIER", "SECRÉTAIRE",
          "ÉLECTRICIEN")  # fmt: skip
TOWNS = ("AJACCIO", "PORTICCIO", "PROPRIANO", "SARTÈNE", "PORTO-VECCHIO", "CALVI",
         "ILE ROUSSE", "BASTIA", "CORTE")  # fmt: skip
