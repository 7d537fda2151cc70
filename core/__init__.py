"""Afterword's shared core: storage, validation, the follow-up rules and mail.

Plain Python only. Nothing in this package imports Qt or the ``gui`` package;
everything a user can do exists here first as a function a test can call.
"""


def __getattr__(name: str) -> str:
    # Looked up on first use: reading package metadata costs ~25 ms, and
    # every start imports ``core`` long before anything shows the version.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("afterword")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0.0.0+unknown"
    raise AttributeError(name)
