from django.db import migrations

# Membership follows the United Nations regional groups.
REGIONS = [
    (
        "africa",
        "Africa",
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
        "LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW",
    ),
    (
        "asia-pacific",
        "Asia and the Pacific",
        "AF BH BD BT BN KH CN CY FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR "
        "NP KP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE",
    ),
    (
        "latin-america-caribbean",
        "Latin America and the Caribbean",
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC "
        "VC SR TT UY VE",
    ),
    (
        "central-eastern-europe",
        "Central and Eastern Europe",
        "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME PL MD MK RO RU RS SK SI UA",
    ),
]


def seed(apps, schema_editor):
    Region = apps.get_model("learning", "Region")
    for order, (slug, name, countries) in enumerate(REGIONS, start=1):
        Region.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "countries": countries.replace(" ", ","), "sort_order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("learning", "Region").objects.filter(slug__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
