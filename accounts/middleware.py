from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from accounts import security

# The pages a session may open while it still has to pass a step (and logging out, language).
STEP_PAGES = {
    security.VERIFY: "accounts:two-factor-verify",
    security.PASSWORD: "accounts:password-change",
    security.ENROL: "accounts:two-factor-setup",
}
ALWAYS = {"accounts:logout", "set_language"}


class SecurityStepsMiddleware:
    """Keeps a signed-in session on the second-factor and password pages until it has passed the
    steps `accounts.security.start_session` set at login; notes the session's last activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            step = security.pending_step(request) if request.session.get(security.STEPS) else ""
            if step:
                try:
                    name = resolve(request.path_info).view_name
                except Resolver404:
                    name = ""
                if name not in ALWAYS and name != STEP_PAGES[step]:
                    if request.method == "GET" and not request.headers.get("HX-Request"):
                        request.session.setdefault(security.NEXT, request.get_full_path())
                    return redirect(STEP_PAGES[step])
            security.touch_session(request)
        return self.get_response(request)
