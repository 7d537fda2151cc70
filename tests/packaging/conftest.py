"""Fixtures for the packaging tests: the built bundle and a throwaway home folder.

The bundle is built once per session into ``build/packaging-test/`` and reused
while its sources are unchanged (``packaging/build_bundle.py --reuse``), so a
second test run does not rebuild it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT

# packaging/ holds scripts, not a package (a folder named "packaging" must not
# shadow the library of that name), so its modules are imported from the path.
sys.path.insert(0, str(ROOT / "packaging"))

import build_bundle

TEST_BUILD = ROOT / "build" / "packaging-test"


@pytest.fixture(scope="session")
def built() -> build_bundle.Build:
    """The one-folder bundle and the release archive, built from this checkout."""
    return build_bundle.build(
        dist=TEST_BUILD / "dist", work=TEST_BUILD / "work", reuse=True, archive=True
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A throwaway home folder, so nothing touches the real user's files."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder
