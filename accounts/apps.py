from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        # Django's own login/logout hooks (not our workflow): whichever path logs a user in, the
        # session gets its pending security steps and a tracked row.
        user_logged_in.connect(_logged_in, dispatch_uid="tongxin-security-login")
        user_logged_out.connect(_logged_out, dispatch_uid="tongxin-security-logout")


def _logged_in(sender, request, user, **kwargs):
    from accounts import security

    if request is not None and hasattr(request, "session"):
        security.start_session(request, user)


def _logged_out(sender, request, user, **kwargs):
    from accounts import security

    if request is not None:
        security.forget_session(request)
