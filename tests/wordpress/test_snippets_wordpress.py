"""Update all N posts against the real WordPress on loopback (tests/publish/snippet_kit.py):
a snippet edited, its posts re-published, one edited on the site stopped by the conflict check."""

from __future__ import annotations

import pytest

from tests.publish.snippet_kit import *  # noqa: F403 - the snippet tests run against this `kit`
from tests.wordpress.test_kit_wordpress import kit  # noqa: F401 - the fixture

pytestmark = pytest.mark.wordpress
