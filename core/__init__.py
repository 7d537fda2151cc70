"""Afterword's shared core: storage, validation, the follow-up rules and mail.

Plain Python only. Nothing in this package imports Qt or the ``gui`` package;
everything a user can do exists here first as a function a test can call.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("afterword")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
