"""Where Afterword keeps its files: the data folder and the bundled resources.

The data folder is the per-user folder platformdirs gives, unless the user
chose another with ``--data-dir`` or ``AFTERWORD_DATA_DIR``. Resources are
looked up relative to this package: ``resources`` sits beside ``core`` in a
checkout (``resources/``), an installed wheel (``afterword/resources``) and a
PyInstaller bundle alike, so no path depends on the current directory.
"""

import os
from pathlib import Path

import platformdirs

APP_NAME = "Afterword"
APP_ID = "io.github.afterword.Afterword"
DATA_DIR_ENV = "AFTERWORD_DATA_DIR"
DATABASE_FILENAME = "afterword.sqlite3"
LOG_DIRNAME = "logs"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: ``override``, else ``$AFTERWORD_DATA_DIR``, else the user's."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def database_path(folder: Path) -> Path:
    return folder / DATABASE_FILENAME


def log_dir(folder: Path) -> Path:
    return folder / LOG_DIRNAME


def resources_dir() -> Path:
    """The ``resources`` folder shipped with the app (templates, icons, provider data)."""
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
