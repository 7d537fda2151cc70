"""Replaces PyInstaller's QtPrintSupport hook: the same collection, minus unlisted plugins."""

from bundle_rules import filter_qt_hook
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = filter_qt_hook(*add_qt6_dependencies(__file__))
