"""Replaces PyInstaller's QtNetwork hook: the same collection, minus TLS and network plugins.

The app uses QtNetwork only for QLocalServer/QLocalSocket (one instance per data
folder), which needs neither the TLS backends nor the network-information
plugins. PyInstaller's hook would also collect OpenSSL for Qt's TLS plugin;
mail goes through Python's ssl module, which brings its own.
"""

from bundle_rules import filter_qt_hook
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = filter_qt_hook(*add_qt6_dependencies(__file__))
