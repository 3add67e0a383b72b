"""Run by the host site's Python (``manage.py shell -c``): creates a home page, a course,
a webinar and a workshop with the plugin's models, requests them with Django's test client,
and prints what came back as JSON (tests/learning/test_wheel_install.py checks it)."""

import datetime
import json

from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Page, Site

import learning
from courses.models import CourseIndexPage, CoursePage
from learning.models import HomePage, Region, WorkshopIndexPage, WorkshopPage
from webinars.models import WebinarPage, WebinarSeriesPage

root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Host home", slug="host-home"))
site = Site.objects.get(is_default_site=True)
site.root_page = home
site.save()

courses = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
course = courses.add_child(
    instance=CoursePage(
        title="Installed course",
        slug="installed-course",
        summary="A course served by the installed plugin.",
        overview="<p>What the course covers.</p>",
        topic=CoursePage._meta.get_field("topic").choices[0][0],
        level=CoursePage._meta.get_field("level").choices[0][0],
        effort_hours=1,
    )
)
series = home.add_child(instance=WebinarSeriesPage(title="Series", slug="series"))
start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
webinar = series.add_child(
    instance=WebinarPage(
        title="Installed webinar",
        slug="installed-webinar",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="Europe/Paris",
        platform=WebinarPage.Platform.ZOOM,
        join_url="https://zoom.example.org/j/1",
        capacity=10,
    )
)
region = Region.objects.order_by("sort_order").first() or Region.objects.create(
    name="Africa", slug="africa"
)
workshops = home.add_child(instance=WorkshopIndexPage(title="Workshops", slug="workshops"))
workshop = workshops.add_child(
    instance=WorkshopPage(
        title="Installed workshop",
        slug="installed-workshop",
        region=region,
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 4),
    )
)

client = Client()
pages = {}
for name, page in (
    ("home", home),
    ("course", course),
    ("webinar", webinar),
    ("workshop", workshop),
):
    response = client.get(page.url)
    pages[name] = {
        "url": page.url,
        "status": response.status_code,
        "body": response.content.decode(),
    }
french = client.get(home.url, headers={"accept-language": "fr"})
with translation.override("en"):
    app_string = str(WorkshopPage._meta.verbose_name)
with translation.override("fr"):
    french_app_string = str(WorkshopPage._meta.verbose_name)
print(
    "RESULT"
    + json.dumps(
        {
            "pages": pages,
            "learning_path": learning.__file__,
            "french_home": french.content.decode(),
            "app_string": app_string,
            "french_app_string": french_app_string,
            "static": {
                name: bool(finders.find(name))
                for name in ("css/site.css", "js/site.js", "favicon.ico")
            },
        }
    )
)
