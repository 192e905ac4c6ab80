from django.urls import path

from accounts import security_views, sso_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    # Issue 17: single sign-on (CAS, OpenID Connect).
    path("sso/cas/", sso_views.cas_start, name="sso-cas"),
    path("sso/cas/callback/", sso_views.cas_callback, name="sso-cas-callback"),
    path("sso/oidc/", sso_views.oidc_start, name="sso-oidc"),
    path("sso/oidc/callback/", sso_views.oidc_callback, name="sso-oidc-callback"),
    path("password/", views.password_change, name="password-change"),
    path("admin/users/", views.user_list, name="user-list"),
    path("admin/users/new/", views.user_create, name="user-create"),
    path("admin/users/<int:pk>/", views.user_edit, name="user-edit"),
    path("admin/users/<int:pk>/password/", views.user_password, name="user-password"),
    path("admin/departments/", views.department_list, name="department-list"),
    path("admin/departments/new/", views.department_create, name="department-create"),
    path("admin/departments/<int:pk>/", views.department_edit, name="department-edit"),
    path("security/roles/", views.role_list, name="role-list"),
    path("security/roles/<int:pk>/", views.role_edit, name="role-edit"),
    path("security/unlock/", views.unlock, name="unlock"),
    path("security/policy/", views.policy, name="policy"),
    path("security/password-resets/", views.reset_requests, name="reset-requests"),
    path("security/password-resets/<int:pk>/", views.reset_decide, name="reset-decide"),
    path("reset/<str:uidb64>/<str:token>/", views.reset_confirm, name="reset-confirm"),
    path("audit/", views.audit_log, name="audit-log"),
    # Issue 11: two factors, the account's security page and sessions, the audit export.
    path("2fa/verify/", security_views.two_factor_verify, name="two-factor-verify"),
    path("2fa/setup/", security_views.two_factor_setup, name="two-factor-setup"),
    path("me/security/", security_views.my_security, name="my-security"),
    path("me/security/recovery-codes/", security_views.recovery_codes_new, name="recovery-codes"),
    path("me/sessions/<int:pk>/end/", security_views.session_end, name="session-end"),
    path("me/sessions/end-others/", security_views.sessions_end_others, name="sessions-end-others"),
    path("security/users/<int:pk>/", security_views.user_security, name="user-security"),
    path("security/users/<int:pk>/2fa-reset/", security_views.two_factor_reset, name="two-factor-reset"),
    path("security/users/<int:pk>/sessions-end/", security_views.user_sessions_end, name="user-sessions-end"),
    path("audit/export/", security_views.audit_export, name="audit-export"),
    path("audit-lookups/", views.audit_lookups, name="audit-lookups"),
    path("security/lookups/", views.lookup_requests, name="lookup-requests"),
    path("security/lookups/<int:pk>/", views.lookup_decide, name="lookup-decide"),
]
