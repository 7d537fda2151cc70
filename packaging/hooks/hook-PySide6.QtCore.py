"""Replaces PyInstaller's QtCore hook: the same collection, minus Qt's translations."""

from bundle_rules import filter_qt_hook
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = filter_qt_hook(*add_qt6_dependencies(__file__))
