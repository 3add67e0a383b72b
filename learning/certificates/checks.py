"""System checks: the key credentials are signed with must be readable, and production
should name it rather than rely on one generated on the server."""

from django.core.checks import Error, Info, register
from django.core.exceptions import ImproperlyConfigured

from learning.certificates import keys
from learning.conf import learning_settings


@register("security")
def check_credential_keys(app_configs, **kwargs):
    configured = learning_settings.LEARNING_CREDENTIAL_KEY_FILE
    retired = learning_settings.LEARNING_CREDENTIAL_RETIRED_KEY_FILES
    if not configured and not retired:
        return []
    try:
        keys.load_keys(configured, retired)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="learning.E201")]
    return []


@register("security", deploy=True)
def check_credential_key_configured(app_configs, **kwargs):
    if learning_settings.LEARNING_CREDENTIAL_KEY_FILE:
        return []
    return [
        Info(
            "LEARNING_CREDENTIAL_KEY_FILE is not set: Open Badges credentials are signed "
            f"with a key generated in {keys.generated_key_path()}.",
            hint="With more than one app server, create one Ed25519 key, give every server "
            "the file and set LEARNING_CREDENTIAL_KEY_FILE (see 'Certificates' in README.md).",
            id="learning.I202",
        )
    ]
