"""Zone names with the tzdata package installed (icalendar brings it)."""

from __future__ import annotations

import pytest

from afterword.core.errors import ValidationError
from afterword.core.storage.validation import time_zone


@pytest.mark.parametrize("name", ["Europe", "America/", "Not/AZone", ""])
def test_a_folder_or_unknown_name_is_an_unknown_zone_not_a_crash(name: str) -> None:
    # ZoneInfo("Europe") raises IsADirectoryError when tzdata is installed.
    with pytest.raises(ValidationError, match="Unknown time zone"):
        time_zone("timezone", name)
