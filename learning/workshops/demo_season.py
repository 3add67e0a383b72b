"""A season for the demo's workshop reports (``load_demo_data``): each regional workshop
gets more materials, in several languages and of several kinds, a participant list, and
downloads recorded one by one from the workshop's first day until today, busiest in the
weeks after it. Deterministic (a seeded random generator) and idempotent; runs after
``learning.workshops.demo.build_workshops``."""

import random
from datetime import UTC, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from learning.models import MaterialDownload, WorkshopMaterial, WorkshopPage
from learning.workshops import services
from learning.workshops.demo import WORKSHOPS, handout_pdf

# (title, kind, language) added to every workshop: translations of the handout, an
# exercise, a case study and the workshop's report.
MATERIALS = {
    "africa": [
        ("Polycopié du participant", "handout", "fr"),
        ("Kitini cha mshiriki", "handout", "sw"),
        ("نشرة المشارك", "handout", "ar"),
        ("Exercise: stakeholder map", "exercise", "en"),
        ("Case study: Kenya's clearing-house mechanism", "case_study", "en"),
        ("Rapport de l'atelier", "report", "fr"),
    ],
    "asia-pacific": [
        ("参与者讲义", "handout", "zh-hans"),
        ("Exercise: stakeholder map", "exercise", "en"),
        ("Case study: community seed banks in Nepal", "case_study", "en"),
        ("Workshop report", "report", "en"),
        ("Recording: opening session (transcript)", "recording", "en"),
    ],
    "latin-america-caribbean": [
        ("Material do participante", "handout", "pt"),
        ("Ejercicio: mapa de actores", "exercise", "es"),
        ("Estudio de caso: el mecanismo de facilitación de Colombia", "case_study", "es"),
        ("Informe del taller", "report", "es"),
        ("Workshop report", "report", "en"),
    ],
    "central-eastern-europe": [
        ("Раздаточный материал участника", "handout", "ru"),
        ("Матеріали для учасників", "handout", "uk"),
        ("Exercise: stakeholder map", "exercise", "en"),
        ("Отчёт о семинаре", "report", "ru"),
    ],
}
PARTICIPANTS = {
    "africa": ["ke", "gh", "sn", "eg", "tz", "bf", "ng", "ma", "cm", "et", "za", "mg"],
    "asia-pacific": ["in", "bd", "th", "lk", "ws", "kh", "cn", "vn", "id", "np", "ph"],
    "latin-america-caribbean": ["br", "cl", "bo", "cu", "ec", "ht", "mx", "co", "pe", "gt"],
    "central-eastern-europe": ["ua", "md", "rs", "kz", "by", "al", "pl", "ge", "ro"],
}


def _downloads(material, start, now, rng, popularity):
    """Downloads of ``material`` from ``start`` to ``now``: many in the first weeks after
    the workshop, then a trickle."""
    days = max((now - start).days, 1)
    moments = []
    for _n in range(popularity):
        day = min(int(rng.expovariate(1 / 20)), days - 1)
        moment = start + timedelta(days=day, hours=rng.randint(6, 20), minutes=rng.randint(0, 59))
        moments.append(min(moment, now))
    for moment in moments:
        download = MaterialDownload.objects.create(
            material=material, region=material.workshop.region
        )
        MaterialDownload.objects.filter(pk=download.pk).update(downloaded_at=moment)
    WorkshopMaterial.objects.filter(pk=material.pk).update(
        download_count=F("download_count") + len(moments)
    )
    return len(moments)


def build_workshop_season(context):
    rng = random.Random(16)
    now = timezone.now()
    total = 0
    for spec in WORKSHOPS:
        workshop = WorkshopPage.objects.filter(slug=spec["slug"]).first()
        if workshop is None:
            continue
        trainer = context.users[spec["trainer"]]
        region = spec["region"]
        existing = set(workshop.materials.values_list("title", flat=True))
        for title, kind, language in MATERIALS[region]:
            if title in existing:
                continue
            services.add_material(
                workshop,
                SimpleUploadedFile(
                    f"{kind}-{language}.pdf",
                    handout_pdf(spec["title"], spec.get("venue_city") or "Online", spec["topic"]),
                ),
                user=trainer,
                title=title,
                kind=kind,
                language=language,
                visibility="public",
                description=f"{spec['title']}: {title}.",
                topics=[spec["topic"], "knowledge management"],
            )
        services.add_participants(
            workshop,
            [f"workshop-{code}@example.org" for code in PARTICIPANTS[region]],
            user=trainer,
        )
        if MaterialDownload.objects.filter(material__workshop=workshop).exists():
            continue  # downloads are recorded once
        start = datetime.combine(workshop.start_date, time(8), UTC)
        for material in workshop.materials.all():
            popularity = rng.randint(4, 30) if material.visibility == "public" else 3
            total += _downloads(material, start, now, rng, popularity)
    if total:
        context.log(
            f"Workshop reports: materials in several languages, participant lists and "
            f"{total} downloads over time (Reports › Workshops)."
        )
