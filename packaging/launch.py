"""Entry script of the PyInstaller bundle: runs the same ``main()`` as the ``afterword`` command."""

from afterword.gui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
