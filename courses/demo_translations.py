"""The demo course "Knowledge management for biodiversity" in French and Spanish, made as
an editor makes a translation (``learning.factories.translate_page``): the versions share
the English course's enrolments, progress and certificates. Idempotent."""

from wagtail.models import Locale

from courses.demo import KM_COURSE
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from learning.factories import translate_page

HOME = {
    "fr": {
        "title": "Renforcement des capacités pour la biodiversité",
        "intro": "<p>Des cours à suivre à votre rythme, la série de webinaires KM4B et des "
        "ateliers régionaux de formation sur la gestion des connaissances pour la "
        "biodiversité et sur les synergies entre les conventions de Rio.</p>",
    },
    "es": {
        "title": "Creación de capacidad para la biodiversidad",
        "intro": "<p>Cursos a su propio ritmo, la serie de seminarios web KM4B y talleres "
        "regionales de formación sobre la gestión del conocimiento para la biodiversidad y "
        "sobre las sinergias entre las convenciones de Río.</p>",
    },
}

# Per language: the catalogue, the course's fields, then each module (title, intro) with
# its lessons (title, [text of each text block, or (title, text) of each callout]).
KM_TRANSLATIONS = {
    "fr": {
        "catalogue": {
            "title": "Cours",
            "intro": "<p>Des cours à suivre à votre rythme, avec de courtes activités et un "
            "certificat à la fin.</p>",
        },
        "course": {
            "title": "Gestion des connaissances pour la biodiversité",
            "summary": "Comment les correspondants nationaux et leurs partenaires trouvent, "
            "partagent et utilisent les connaissances nécessaires à la mise en œuvre du Cadre "
            "mondial de la biodiversité de Kunming-Montréal.",
            "overview": "<p>Les pays font rapport sur la biodiversité, élaborent des "
            "stratégies nationales et apprennent les uns des autres. Une grande partie de ce "
            "qu’ils doivent savoir existe déjà quelque part : dans les dossiers d’un "
            "ministère, dans le jeu de données d’un scientifique, dans la mémoire d’un aîné "
            "de la communauté. Ce cours présente les pratiques qui rendent ces connaissances "
            "faciles à trouver et à utiliser.</p>",
            "outcomes": "<ul><li>Expliquer la différence entre données, informations et "
            "connaissances.</li><li>Cartographier les connaissances dont dépend votre "
            "travail sur la biodiversité.</li><li>Choisir une pratique de partage "
            "(communauté de pratique, revue après action, centre d’échange) adaptée à un "
            "besoin.</li><li>Planifier une petite amélioration de la gestion des "
            "connaissances dans votre institution.</li></ul>",
            "audience": "<p>Correspondants nationaux, personnel des ministères de "
            "l’environnement, nœuds du mécanisme du centre d’échange et organisations "
            "partenaires. Aucune formation préalable n’est requise.</p>",
            "instructors": "<p>L’équipe de renforcement des capacités du Secrétariat.</p>",
            "language": "fr",
        },
        "modules": [
            (
                "Pourquoi la gestion des connaissances est importante",
                "<p>Ce qu’est la gestion des connaissances, et pourquoi le programme pour la "
                "biodiversité en a besoin.</p>",
                [
                    (
                        "Données, informations et connaissances",
                        [
                            "<p>Les <b>données</b> sont des observations brutes : le comptage "
                            "d’une espèce le long d’un transect, un pixel satellite, une "
                            "superficie dans un inventaire forestier. L’<b>information</b>, "
                            "ce sont des données mises en contexte et structurées : la courbe "
                            "de ce comptage sur dix ans. La <b>connaissance</b>, c’est ce que "
                            "les personnes peuvent faire de l’information : savoir que le "
                            "déclin suit un changement des pratiques de pâturage, et quelles "
                            "mesures ont fonctionné ailleurs.</p><p>La gestion des "
                            "connaissances est l’ensemble des pratiques qui aident une "
                            "organisation à créer, recueillir, partager et appliquer ces "
                            "connaissances. Elle concerne les personnes et les habitudes au "
                            "moins autant que les bases de données.</p>",
                            (
                                "Connaissances tacites et explicites",
                                "<p>Les connaissances explicites sont écrites. Les "
                                "connaissances tacites vivent dans l’expérience : comment "
                                "animer une réunion difficile avec les parties prenantes, quel "
                                "fonctionnaire appeler. L’essentiel de ce qui compte est "
                                "tacite.</p>",
                            ),
                        ],
                    ),
                    (
                        "Les besoins de connaissances du Cadre mondial de la biodiversité",
                        [
                            "<p>Le Cadre mondial de la biodiversité de Kunming-Montréal fixe "
                            "23 cibles pour 2030. Les atteindre suppose de mettre à jour les "
                            "stratégies et plans d’action nationaux pour la biodiversité "
                            "(SPANB), de rendre compte des indicateurs et de tirer vite les "
                            "leçons de ce qui fonctionne.</p><p>Chacune de ces étapes dépend "
                            "de connaissances détenues par de nombreux acteurs : offices "
                            "statistiques, instituts de recherche, peuples autochtones et "
                            "communautés locales, secteur privé. La cible 21 demande que les "
                            "meilleures données, informations et connaissances disponibles "
                            "soient accessibles aux décideurs et au public.</p>",
                        ],
                    ),
                    (
                        "Vérifiez vos connaissances",
                        [
                            "<p>Répondez à la question ci-dessous. La leçon est terminée "
                            "lorsque vous répondez correctement.</p>",
                        ],
                    ),
                ],
            ),
            (
                "Des pratiques qui fonctionnent",
                "<p>Trois pratiques adoptées par de nombreuses institutions de la "
                "biodiversité.</p>",
                [
                    (
                        "Les communautés de pratique",
                        [
                            "<p>Une communauté de pratique est un groupe de personnes qui "
                            "partagent une préoccupation et approfondissent leur expertise en "
                            "échangeant régulièrement : par exemple, les responsables des "
                            "rapports nationaux d’une région. Elle a besoin d’un animateur, "
                            "d’un rythme (un appel mensuel, une liste de diffusion) et d’un "
                            "objectif que ses membres reconnaissent.</p><p>Commencez petit : "
                            "invitez dix personnes qui se posent déjà des questions, et "
                            "rendez leurs réponses faciles à trouver pour la personne "
                            "suivante.</p>",
                        ],
                    ),
                    (
                        "Apprendre après l’action",
                        [
                            "<p>Une revue après action pose quatre questions à la fin d’une "
                            "activité : Qu’attendions-nous ? Que s’est-il passé ? Pourquoi "
                            "cette différence ? Que ferons-nous la prochaine fois ? Tenue "
                            "dans les jours qui suivent, en 30 minutes et sans chercher de "
                            "coupable, elle transforme un atelier ou un cycle de rapports en "
                            "leçons utiles à l’équipe suivante.</p>",
                            (
                                "Consignez les réponses",
                                "<p>Conservez les quatre réponses là où la prochaine équipe "
                                "les cherchera, par exemple dans votre mécanisme du centre "
                                "d’échange.</p>",
                            ),
                        ],
                    ),
                    (
                        "Les mécanismes du centre d’échange",
                        [
                            "<p>Le mécanisme du centre d’échange (CHM) de la Convention sur "
                            "la diversité biologique est un réseau de sites web nationaux qui "
                            "publient des informations sur la biodiversité : stratégies, "
                            "rapports, experts, études de cas. Un CHM fonctionne lorsqu’il "
                            "est tenu à jour : quelqu’un décide de ce qui est publié, "
                            "l’indexe de façon cohérente et retire ce qui est périmé.</p>",
                        ],
                    ),
                ],
            ),
        ],
    },
    "es": {
        "catalogue": {
            "title": "Cursos",
            "intro": "<p>Cursos a su propio ritmo, con actividades breves y un certificado "
            "al final.</p>",
        },
        "course": {
            "title": "Gestión del conocimiento para la biodiversidad",
            "summary": "Cómo los puntos focales nacionales y sus asociados encuentran, "
            "comparten y utilizan el conocimiento necesario para aplicar el Marco Mundial de "
            "Biodiversidad de Kunming-Montreal.",
            "overview": "<p>Los países informan sobre la biodiversidad, preparan estrategias "
            "nacionales y aprenden unos de otros. Gran parte de lo que necesitan saber ya "
            "existe en algún lugar: en los archivos de un ministerio, en el conjunto de "
            "datos de un científico, en la memoria de un anciano de la comunidad. Este curso "
            "presenta las prácticas que hacen que ese conocimiento sea fácil de encontrar y "
            "de utilizar.</p>",
            "outcomes": "<ul><li>Explicar la diferencia entre datos, información y "
            "conocimiento.</li><li>Mapear el conocimiento del que depende su trabajo sobre "
            "biodiversidad.</li><li>Elegir una práctica de intercambio (comunidad de "
            "práctica, revisión posterior a la acción, mecanismo de facilitación) adecuada "
            "a una necesidad.</li><li>Planificar una pequeña mejora de la gestión del "
            "conocimiento en su institución.</li></ul>",
            "audience": "<p>Puntos focales nacionales, personal de los ministerios de medio "
            "ambiente, nodos del mecanismo de facilitación y organizaciones asociadas. No se "
            "requiere formación previa.</p>",
            "instructors": "<p>El equipo de creación de capacidad de la Secretaría.</p>",
            "language": "es",
        },
        "modules": [
            (
                "Por qué importa la gestión del conocimiento",
                "<p>Qué es la gestión del conocimiento y por qué la agenda de la biodiversidad "
                "la necesita.</p>",
                [
                    (
                        "Datos, información y conocimiento",
                        [
                            "<p>Los <b>datos</b> son observaciones en bruto: el conteo de una "
                            "especie en un transecto, un píxel de satélite, una cifra de "
                            "hectáreas en un inventario forestal. La <b>información</b> son "
                            "datos con contexto y estructura: la curva de ese conteo a lo "
                            "largo de diez años. El <b>conocimiento</b> es lo que las personas "
                            "pueden hacer con la información: saber que el descenso sigue a un "
                            "cambio en las prácticas de pastoreo, y qué medidas funcionaron en "
                            "otros lugares.</p><p>La gestión del conocimiento es el conjunto "
                            "de prácticas que ayudan a una organización a crear, captar, "
                            "compartir y aplicar ese conocimiento. Tiene que ver con las "
                            "personas y los hábitos al menos tanto como con las bases de "
                            "datos.</p>",
                            (
                                "Conocimiento tácito y explícito",
                                "<p>El conocimiento explícito está escrito. El conocimiento "
                                "tácito vive en la experiencia: cómo convocar una reunión "
                                "difícil con las partes interesadas, a qué funcionario "
                                "llamar. La mayor parte de lo que importa es tácito.</p>",
                            ),
                        ],
                    ),
                    (
                        "Necesidades de conocimiento del Marco Mundial de Biodiversidad",
                        [
                            "<p>El Marco Mundial de Biodiversidad de Kunming-Montreal fija 23 "
                            "metas para 2030. Alcanzarlas exige actualizar las estrategias y "
                            "planes de acción nacionales en materia de biodiversidad (EPANB), "
                            "informar sobre los indicadores y aprender rápidamente de lo que "
                            "funciona.</p><p>Cada uno de estos pasos depende del conocimiento "
                            "de muchos actores: oficinas de estadística, institutos de "
                            "investigación, pueblos indígenas y comunidades locales, el sector "
                            "privado. La meta 21 pide que los mejores datos, información y "
                            "conocimientos disponibles sean accesibles para los responsables "
                            "de la toma de decisiones y el público.</p>",
                        ],
                    ),
                    (
                        "Compruebe lo aprendido",
                        [
                            "<p>Responda a la pregunta siguiente. La lección termina cuando "
                            "responda correctamente.</p>",
                        ],
                    ),
                ],
            ),
            (
                "Prácticas que funcionan",
                "<p>Tres prácticas que muchas instituciones de biodiversidad han adoptado.</p>",
                [
                    (
                        "Comunidades de práctica",
                        [
                            "<p>Una comunidad de práctica es un grupo de personas que "
                            "comparten una inquietud y profundizan sus conocimientos "
                            "interactuando con regularidad: por ejemplo, los responsables de "
                            "los informes nacionales de una región. Necesita un facilitador, "
                            "un ritmo (una llamada mensual, una lista de correo) y un "
                            "propósito que sus miembros reconozcan.</p><p>Empiece en pequeño: "
                            "invite a diez personas que ya se consultan entre sí y haga que "
                            "sus respuestas sean fáciles de encontrar para la siguiente "
                            "persona.</p>",
                        ],
                    ),
                    (
                        "Aprender después de la acción",
                        [
                            "<p>Una revisión posterior a la acción plantea cuatro preguntas "
                            "cuando termina una actividad: ¿Qué esperábamos? ¿Qué ocurrió? "
                            "¿Por qué hubo una diferencia? ¿Qué haremos la próxima vez? "
                            "Realizada en pocos días, en 30 minutos y sin buscar culpables, "
                            "convierte un taller o un ciclo de informes en lecciones útiles "
                            "para el siguiente equipo.</p>",
                            (
                                "Registre las respuestas",
                                "<p>Guarde las cuatro respuestas donde el siguiente equipo "
                                "las buscará, por ejemplo en su mecanismo de "
                                "facilitación.</p>",
                            ),
                        ],
                    ),
                    (
                        "Mecanismos de facilitación",
                        [
                            "<p>El mecanismo de facilitación (CHM) del Convenio sobre la "
                            "Diversidad Biológica es una red de sitios web nacionales que "
                            "publican información sobre biodiversidad: estrategias, "
                            "informes, expertos, estudios de caso. Un CHM funciona cuando "
                            "alguien lo cuida: decide qué se publica, lo etiqueta de forma "
                            "coherente y retira lo que ha quedado desactualizado.</p>",
                        ],
                    ),
                ],
            ),
        ],
    },
}


def _translated_body(body, texts):
    """``body``'s raw blocks with each text block and callout replaced, in order, by its
    translation; other blocks (H5P activities) are kept."""
    texts = iter(texts)
    blocks = []
    for block in body.raw_data:
        block = dict(block)
        if block["type"] == "text":
            block["value"] = next(texts)
        elif block["type"] == "callout":
            title, text = next(texts)
            block["value"] = {**block["value"], "title": title, "text": text}
        blocks.append(block)
    return blocks


def build_demo_course_translations(context):
    """The KM course (catalogue, course, modules, lessons) in French and Spanish."""
    default = Locale.get_default()
    index = CourseIndexPage.objects.filter(locale=default).first()
    course = CoursePage.objects.filter(slug=KM_COURSE["slug"], locale=default).first()
    if index is None or course is None:
        return
    for language, texts in KM_TRANSLATIONS.items():
        translate_page(context.home_page, language, update=False, **HOME[language])
        translate_page(index, language, update=False, **texts["catalogue"])
        translate_page(course, language, update=False, **texts["course"])
        modules = ModulePage.objects.child_of(course).order_by("path")
        for module, (title, intro, lessons) in zip(modules, texts["modules"], strict=True):
            translate_page(module, language, update=False, title=title, intro=intro)
            pages = LessonPage.objects.child_of(module).order_by("path")
            for lesson, (lesson_title, lesson_texts) in zip(pages, lessons, strict=True):
                translate_page(
                    lesson,
                    language,
                    update=False,
                    title=lesson_title,
                    body=_translated_body(lesson.body, lesson_texts),
                )
    context.log(f"Courses: {course.title} also in French and Spanish")
