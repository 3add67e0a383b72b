"""A webinar in several languages is one webinar: seats and registrations are shared."""

import pytest

from learning.factories import UserFactory, translate_page
from webinars import queries, services
from webinars.factories import WebinarPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def test_registrations_and_seats_are_shared_by_the_language_versions(user):
    webinar = WebinarPageFactory(capacity=1)
    translate_page(webinar.get_parent().specific, "es")
    spanish = translate_page(webinar, "es", title="Seminario web")

    registration = services.register(spanish, user)

    assert registration.webinar_id == webinar.pk
    assert registration.status == Registration.Status.CONFIRMED
    assert services.register(webinar, user).pk == registration.pk
    assert queries.registration_state(webinar, user).registration == registration
    assert queries.registration_state(spanish, user).confirmed_count == 1
    # The one seat is taken in every language.
    other = services.register(webinar, UserFactory())
    assert other.status == Registration.Status.WAITLISTED


def test_answers_on_a_translated_form_are_stored_in_the_original_terms(user):
    from webinars.factories import RegistrationQuestionFactory
    from webinars.models import RegistrationQuestion

    webinar = WebinarPageFactory()
    question = RegistrationQuestionFactory(
        page=webinar,
        label="Which sector do you work in?",
        kind=RegistrationQuestion.Kind.SINGLE,
        choices="Government\nResearch",
        required=True,
    )
    translate_page(webinar.get_parent().specific, "fr")
    french = translate_page(webinar, "fr", title="Webinaire")
    french_question = french.questions.get()
    french_question.label = "Dans quel secteur travaillez-vous ?"
    french_question.choices = "Administration publique\nRecherche"
    french_question.save()

    registration = services.register(french, user, {french_question.key: "Recherche"})

    assert registration.webinar_id == webinar.pk
    assert registration.answers == {question.key: "Research"}


def test_emails_and_invitation_name_the_webinar_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    from webinars import calendar

    webinar = WebinarPageFactory(title="Knowledge for decisions")
    translate_page(webinar.get_parent().specific, "es")
    translate_page(webinar, "es", title="Conocimiento para decidir")
    reader = UserFactory()
    reader.profile.preferred_language = "es"
    reader.profile.save()
    english_reader = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(webinar, reader)
        services.register(webinar, english_reader)

    spanish_mail, english_mail = mailoutbox[-2:]
    assert "Conocimiento para decidir" in spanish_mail.subject
    assert "Conocimiento para decidir" in spanish_mail.body
    assert "Knowledge for decisions" not in spanish_mail.body
    assert "Knowledge for decisions" in english_mail.subject
    invitation = calendar.invitation(registration).decode()
    assert "SUMMARY:Conocimiento para decidir" in invitation
    # The times and the event are the one webinar's, whatever the language.
    assert calendar.uid_for(webinar) in invitation
