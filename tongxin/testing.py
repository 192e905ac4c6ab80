"""The suite's settings: the project's one settings file, read with TONGXIN_TESTING=1 (background
jobs run immediately, static files need no manifest, a fixed secret key when none is set)."""

import os

os.environ["TONGXIN_TESTING"] = "1"

from tongxin.settings import *  # noqa: F403
