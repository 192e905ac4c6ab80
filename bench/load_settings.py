"""Settings for `make bench-load`: Tongxin's own, except that a static file missing from the manifest
(htmx when node_modules is absent) gets its plain URL instead of an error - the benchmark fetches HTML
only, never the assets."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from tongxin.settings import *  # noqa: F403
from tongxin.settings import STORAGES


class LenientManifestStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name


STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "bench.load_settings.LenientManifestStorage"}}
