"""PySide6 widgets and the main window: thin, calling core and publish."""
