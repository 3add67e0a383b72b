"""The KM4B webinar series and its sessions in French and Spanish, made as an editor makes a
translation (``learning.factories.translate_page``): the versions share the English
sessions' seats and registrations. Idempotent."""

from wagtail.models import Locale

from learning.factories import translate_page
from webinars.demo import SERIES_SLUG, SESSIONS
from webinars.models import WebinarPage, WebinarSeriesPage

SERIES = {
    "fr": {
        "title": "KM4B : la gestion des connaissances pour la biodiversité",
        "intro": "<p>Une série de webinaires sur les pratiques de gestion des connaissances "
        "qui aident les pays à mettre en œuvre le Cadre mondial de la biodiversité de "
        "Kunming-Montréal. Sa première saison a réuni quelque 700 participants et "
        "intervenants.</p>",
    },
    "es": {
        "title": "KM4B: gestión del conocimiento para la biodiversidad",
        "intro": "<p>Una serie de seminarios web sobre las prácticas de gestión del "
        "conocimiento que ayudan a los países a aplicar el Marco Mundial de Biodiversidad de "
        "Kunming-Montreal. Su primera temporada reunió a unos 700 participantes y "
        "ponentes.</p>",
    },
}

QUESTION = {
    "fr": "Dans quel secteur travaillez-vous ?",
    "es": "¿En qué sector trabaja?",
}

# By session slug: (title, abstract) per language.
SESSION_TEXTS = {
    "km4b-1-why-km": {
        "fr": (
            "Pourquoi la gestion des connaissances compte pour le Cadre mondial",
            "<p>Le Cadre mondial de la biodiversité de Kunming-Montréal demande aux pays de "
            "partager ce qui fonctionne. Cette séance d’ouverture montre comment les "
            "correspondants nationaux transforment des rapports, des données et une expertise "
            "dispersés en connaissances que les décideurs utilisent vraiment, avec des "
            "exemples du Nigéria et du centre d’échange du Secrétariat.</p>",
        ),
        "es": (
            "Por qué la gestión del conocimiento importa para el Marco Mundial",
            "<p>El Marco Mundial de Biodiversidad de Kunming-Montreal pide a los países que "
            "compartan lo que funciona. Esta sesión inaugural muestra cómo los puntos focales "
            "nacionales convierten informes, datos y conocimientos dispersos en conocimiento "
            "que los responsables de las decisiones realmente utilizan, con ejemplos de "
            "Nigeria y del mecanismo de facilitación de la Secretaría.</p>",
        ),
    },
    "km4b-2-chm": {
        "fr": (
            "Des centres d’échange que les gens utilisent",
            "<p>Beaucoup de mécanismes nationaux du centre d’échange sont des sites que "
            "personne ne visite. Des intervenants de Pologne et de Chine expliquent comment "
            "ils ont repensé le leur autour des questions des utilisateurs, mesuré son usage "
            "et tenu son contenu à jour avec une petite équipe.</p>",
        ),
        "es": (
            "Mecanismos de facilitación que la gente utiliza",
            "<p>Muchos mecanismos nacionales de facilitación son sitios web que nadie visita. "
            "Ponentes de Polonia y China explican cómo rediseñaron el suyo en torno a las "
            "preguntas de los usuarios, midieron su uso y mantuvieron el contenido al día con "
            "un equipo pequeño.</p>",
        ),
    },
    "km4b-3-communities": {
        "fr": (
            "Des communautés de pratique entre les régions",
            "<p>Comment les praticiens de Colombie et de la région arabe continuent-ils "
            "d’apprendre les uns des autres entre deux réunions ? Un regard pratique sur "
            "l’animation des communautés de pratique : facilitation, langues, outils en ligne "
            "et que faire quand une communauté se tait.</p>",
        ),
        "es": (
            "Comunidades de práctica entre regiones",
            "<p>¿Cómo siguen aprendiendo unos de otros los profesionales de Colombia y de la "
            "región árabe entre reuniones? Una mirada práctica a la gestión de comunidades de "
            "práctica: facilitación, idiomas, herramientas en línea y qué hacer cuando una "
            "comunidad se queda en silencio.</p>",
        ),
    },
    "km4b-4-indigenous-knowledge": {
        "fr": (
            "Les connaissances autochtones et locales, avec consentement",
            "<p>Les connaissances traditionnelles sont le cas le plus délicat de la gestion "
            "des connaissances. Cette séance traite du consentement préalable, donné "
            "librement et en connaissance de cause, des protocoles communautaires et de la "
            "manière de documenter les connaissances pour que leurs détenteurs gardent la "
            "maîtrise de leur usage.</p>",
        ),
        "es": (
            "Conocimientos indígenas y locales, con consentimiento",
            "<p>Los conocimientos tradicionales son el caso más delicado de la gestión del "
            "conocimiento. Esta sesión trata del consentimiento libre, previo e informado, de "
            "los protocolos comunitarios y de cómo documentar los conocimientos para que sus "
            "poseedores mantengan el control sobre su uso.</p>",
        ),
    },
    "km4b-5-data-to-decisions": {
        "fr": (
            "Des données sur la biodiversité aux décisions",
            "<p>Indicateurs, tableaux de bord et données spatiales ne sont utiles que "
            "lorsqu’ils éclairent une décision. Les intervenants présentent deux cas "
            "nationaux, des données de suivi à une note ministérielle, et les produits de "
            "connaissance qui ont fait la différence.</p>",
        ),
        "es": (
            "De los datos sobre biodiversidad a las decisiones",
            "<p>Los indicadores, los tableros y los datos espaciales solo son útiles cuando "
            "llegan a una decisión. Los ponentes presentan dos casos nacionales, desde los "
            "datos de seguimiento hasta una nota ministerial, y los productos de conocimiento "
            "que marcaron la diferencia.</p>",
        ),
    },
    "km4b-6-after-action": {
        "fr": (
            "Des revues après action pour les rapports nationaux",
            "<p>Les rapports nationaux sont rédigés tous les quelques années, souvent par de "
            "nouvelles équipes. Une revue après action recueille ce que la dernière équipe a "
            "appris. Une séance pratique, avec un modèle à utiliser après votre prochain "
            "rapport ; les places sont limitées pour garder l’échange interactif.</p>",
        ),
        "es": (
            "Revisiones posteriores a la acción para los informes nacionales",
            "<p>Los informes nacionales se redactan cada pocos años, a menudo por equipos "
            "nuevos. Una revisión posterior a la acción recoge lo que aprendió el último "
            "equipo. Una sesión práctica con una plantilla que podrá usar después de su "
            "próximo informe; las plazas son limitadas para mantenerla interactiva.</p>",
        ),
    },
}


def build_demo_webinar_translations(context):
    """The KM4B series and its six sessions in French and Spanish."""
    default = Locale.get_default()
    series = WebinarSeriesPage.objects.filter(slug=SERIES_SLUG, locale=default).first()
    if series is None:
        return
    for language, fields in SERIES.items():
        translate_page(context.home_page, language, update=False)
        translate_page(series, language, update=False, **fields)
        for slug, *_rest in SESSIONS:
            webinar = WebinarPage.objects.filter(slug=slug, locale=default).first()
            if webinar is None:
                continue
            title, abstract = SESSION_TEXTS[slug][language]
            version = translate_page(
                webinar, language, update=False, title=title, abstract=abstract
            )
            for question in version.questions.all():
                if question.label != QUESTION[language]:
                    question.label = QUESTION[language]
                    question.save(update_fields=["label"])
    context.log(f"Webinars: {series.title} also in French and Spanish")
