"""The `broadsheet` command line: one module per group of commands."""

from editor.cli.entry import main

__all__ = ["main"]
