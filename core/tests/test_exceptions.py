"""One refusal for every app: each services module raises core.exceptions.NotAllowed, and the
refusals a caller must tell apart subclass it."""

from core.exceptions import NotAllowed


def test_every_app_refuses_with_the_one_not_allowed():
    from events import services as events
    from fiveones import services as fiveones
    from plans import services as plans
    from publicity import services as publicity
    from study import services as study

    for module in (events, fiveones, plans, publicity, study):
        assert module.NotAllowed is NotAllowed, module.__name__
    assert issubclass(events.RegistrationRefused, NotAllowed)
    assert issubclass(plans.UnmetTargets, NotAllowed)
