"""What people write: a dossier's situation and notes, the subjects of requests and
appointments, event comments by context and by milestone, proposal comments, prescribers."""

from cep_tui.vocabulary import CEP_CODE, ExitReason

COMPLEMENTARY_INFO = (
    "", "", "",
    "Permis B en cours (code obtenu).",
    "Titulaire du permis B, véhiculé.",
    "Pas de moyen de locomotion : dépend des bus urbains.",
    "Bilingue français-corse.",
    "Parle couramment l'anglais et l'italien.",
    "RQTH en cours de demande.",
    "Disponible uniquement le matin (garde d'enfant).",
    "Suivi par l'assistante sociale du secteur.",
    "Hébergé chez un membre de sa famille.",
    "Bénévole dans un club de football local.",
    "A travaillé deux saisons comme serveur à Porticcio.",
    "Souhaite être contacté(e) par SMS plutôt que par téléphone.",
    "Titulaire du PSC1 et du BAFA.",
)  # fmt: skip

SITUATIONS = (
    "Demandeur d'emploi inscrit à France Travail.",
    "En recherche d'emploi, sans diplôme.",
    "Lycéen(ne) en terminale professionnelle.",
    "Titulaire d'un CAP cuisine, en recherche d'emploi saisonnier.",
    "Sorti(e) du système scolaire sans qualification.",
    "En CDD saisonnier dans l'hôtellerie jusqu'en octobre.",
    "Étudiant(e) en BTS tourisme, souhaite se réorienter.",
    "Bac pro commerce, en recherche d'alternance.",
    "Intérimaire dans le bâtiment.",
    "En formation qualifiante (AFPA).",
    "Emploi à temps partiel dans la grande distribution.",
    "Bachelier(e), en recherche de formation.",
    "En service civique jusqu'en juin.",
    "Sans activité depuis plusieurs mois, souhaite faire le point.",
    "Titulaire d'un CAP petite enfance, recherche un emploi d'accompagnant.",
)  # fmt: skip

REQUEST_SUBJECTS = (
    "Aide au permis de conduire", "Recherche de logement", "Aide financière (FAJ)",
    "Aide à la mobilité (carte de transport)", "Demande de formation",
    "Aide alimentaire d'urgence", "Attestation d'inscription", "Complémentaire santé",
    "Recherche d'un contrat en alternance", "Aide à l'équipement professionnel",
    "Orientation vers un bilan de compétences", "Aide aux démarches CAF",
)  # fmt: skip

APPOINTMENT_SUBJECTS = (
    "Entretien de suivi", "Entretien de suivi", "Atelier CV et lettre de motivation",
    "Information collective", "Point sur la recherche de formation",
    "Préparation à l'entretien d'embauche", "Entretien avec la psychologue",
)  # fmt: skip
CEP_APPOINTMENT_SUBJECTS = (
    "Entretien CEP – conseil personnalisé",
    "Entretien CEP – mise en œuvre du projet",
)
COMMENTS = {
    CEP_CODE: (
        "Entretien CEP : point sur le parcours scolaire et les compétences acquises.",
        "Conseil personnalisé : exploration des métiers de l'hôtellerie-restauration.",
        "Travail sur le projet d'évolution ; enquête métier à réaliser pour le prochain "
        "rendez-vous.",
        "Formalisation du projet professionnel, plan d'action validé avec le jeune.",
        "Mise en œuvre du projet : recherche de financement de la formation.",
        "Point d'étape CEP : démarches de VAE engagées auprès de Transitions Pro.",
        "Restitution des tests d'intérêts professionnels ; deux pistes retenues.",
        "Préparation de l'immersion en entreprise (PMSMP) de la semaine prochaine.",
    ),
    "Événement général": (
        "Mise à jour du dossier et des coordonnées.",
        "Point de situation général, pas de changement.",
        "Remise de l'attestation d'inscription à la Mission Locale.",
        "Entretien de suivi : le jeune est motivé, relance dans un mois.",
        "",
    ),
    "Emploi": (
        "Relance des candidatures spontanées dans la grande distribution.",
        "Préparation à l'entretien d'embauche chez un employeur du port de commerce.",
        "Offre de saisonnier transmise (serveur, Porticcio).",
        "Signature d'un CDD de six mois chez un artisan ; félicitations !",
        "Aide à la mise à jour du CV et inscription sur le site de France Travail.",
    ),
    "Formation": (
        "Recherche d'une formation qualifiante en réception hôtelière.",
        "Dossier d'inscription AFPA complété avec le jeune.",
        "Information sur l'apprentissage et les CFA de Corse-du-Sud.",
        "Résultat de l'entretien de sélection GRETA : admis(e).",
    ),
    "Santé": (
        "Orientation vers le bilan de santé de la CPAM.",
        "Aide à la demande de complémentaire santé solidaire.",
        "Rendez-vous pris avec le point écoute jeunes.",
    ),
    "Logement": (
        "Demande de logement au foyer de jeunes travailleurs.",
        "Information sur l'aide Mobili-Jeune d'Action Logement.",
        "Situation d'hébergement précaire, orientation vers le CCAS.",
    ),
    "Mobilité": (
        "Montage du dossier d'aide au permis de conduire.",
        "Remise d'une carte de bus (aide à la mobilité).",
        "Inscription au code de la route à l'auto-école partenaire.",
    ),
    "Citoyenneté": (
        "Information sur le service civique et les missions disponibles.",
        "Aide au renouvellement de la carte d'identité.",
        "Participation à l'atelier sur les démarches en ligne.",
    ),
    "Projet professionnel": (
        "Découverte des métiers du tourisme et de l'animation.",
        "Travail sur les centres d'intérêt et les valeurs professionnelles.",
        "Visite du salon de l'orientation à Ajaccio.",
    ),
}
# What a counsellor writes in the event where a dispositif changed.
MILESTONE_COMMENTS = {
    "cep_added": (
        "Entretien d'initialisation : le jeune souhaite faire le point sur son parcours ; "
        "entrée en conseil personnalisé.",
        "Présentation du CEP et de ses étapes ; le jeune adhère à la démarche.",
        "Orienté(e) par son aiguilleur, le jeune entre dans le CEP.",
    ),
    "cep_added_phase_3": ("Projet déjà formalisé : entrée directe en phase 3.",),
    "phase_3": (
        "Projet formalisé : passage en accompagnement à la mise en œuvre du projet.",
        "Plan d'action validé avec le jeune ; phase 3 programmée.",
    ),
    "modified": ("Mise à jour du dispositif : prescripteur et type de projet précisés.",),
    "eav_added": ("Signature d'un contrat emploi d'avenir ; point sur l'intégration.",),
    "eav_closed": ("Fin du contrat emploi d'avenir ; bilan avec le jeune et l'employeur.",),
    ExitReason.ACTION_PLAN_COMPLETED.value: (
        "Plan d'action réalisé : entrée en formation qualifiante, clôture du CEP.",
        "Le jeune a signé un CDI ; objectifs du plan d'action atteints.",
    ),
    ExitReason.INTERRUPTION_OBSERVED.value: (
        "Sans nouvelles du jeune malgré plusieurs relances : interruption constatée.",
    ),
    ExitReason.INTERRUPTION_FORMALISED.value: (
        "Le jeune souhaite mettre le CEP entre parenthèses (emploi saisonnier).",
    ),
    ExitReason.MOVED_AWAY.value: ("Déménagement sur le continent ; dossier transmis.",),
    ExitReason.DEATH.value: ("Clôture du dispositif.",),
}
WALK_IN_COMMENTS = (
    "Venu(e) sans rendez-vous pour une attestation d'inscription.",
    "Passage à l'accueil : demande d'aide pour le dossier CAF.",
    "Passage spontané pour consulter les offres d'emploi affichées.",
    "Venu(e) déposer son CV mis à jour.",
)
PROPOSAL_COMMENTS = (
    "", "",
    "Jeune intéressé(e), CV transmis au partenaire.",
    "Positionnement sur la prochaine session.",
    "Information collective prévue le mois prochain.",
    "À confirmer après l'entretien avec le partenaire.",
    "Proposition acceptée, inscription en cours.",
)  # fmt: skip
PRESCRIBERS = (
    "Mme Orsini (France Travail Ajaccio)", "M. Leca (CIO d'Ajaccio)",
    "Mme Martin (assistante sociale, CCAS)", "M. Giudicelli (Cap emploi)",
    "Mme Tomasi (lycée Jean-Paul de Rocca Serra)", "M. Durand (Transitions Pro Corse)",
)  # fmt: skip
