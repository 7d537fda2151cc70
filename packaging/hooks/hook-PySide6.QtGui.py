"""Replaces PyInstaller's QtGui hook: the same collection, minus the Qt plugins we do not use.

PyInstaller's hook collects every plugin folder QtGui owns (all platforms,
image formats, input methods, themes); ``bundle_rules.QT_PLUGINS_KEPT`` says
which plugins stay and why.
"""

from bundle_rules import filter_qt_hook
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = filter_qt_hook(*add_qt6_dependencies(__file__))
