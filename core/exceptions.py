"""The one refusal every service raises: `NotAllowed(message)`. The message is Chinese and says why;
views show it (403 for access, a form error for state). Apps may subclass it for a refusal a caller
must tell apart (events' `RegistrationRefused`, plans' `UnmetTargets`)."""


class NotAllowed(Exception):
    """The action is not open to this user or in this state; the message says why."""
