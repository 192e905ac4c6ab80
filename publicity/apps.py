from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "publicity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # people owns the hook and never imports publicity: withdrawing a person's last
        # publicity consent calls our function inside the same transaction.
        from people.services import on_consent_withdrawn
        from publicity.services import consent_withdrawn

        on_consent_withdrawn(consent_withdrawn)
