"""The snapshots run on the demonstration data of the Pilot tests (one copy per test)."""

from tests.ui.conftest import demo_db_url, demo_template  # noqa: F401 (shared fixtures)
