from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications.services import register_phone_lookup
        from people.queries import phones_of_users

        register_phone_lookup(phones_of_users)
