"""Data shipped with Afterword (icons, templates, provider settings); no code.

A package only so that wheels and bundles carry it beside ``core`` and ``gui``;
look files up with :func:`afterword.core.storage.paths.resource`.
"""
