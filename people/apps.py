from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.sso import register_person_directory
        from notifications.services import register_phone_lookup
        from people.queries import people_with_staff_number, phones_of_users
        from people.services import link_account

        register_phone_lookup(phones_of_users)
        register_person_directory(find=people_with_staff_number, link=link_account)
