"""Help ▸ Report a Problem: the versions a bug report needs, and nothing personal.

No paths (they hold the user's name), no host name, no blog names or addresses, no settings.
"""

from __future__ import annotations

import platform

from editor import version


def system_name() -> str:
    """The operating system as people name it ("Debian GNU/Linux 12 (bookworm)", "Windows 11")."""
    system = platform.system() or "unknown system"
    if system == "Linux":
        try:
            pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pretty = ""
        return f"{pretty or 'Linux'} (kernel {platform.release()})"
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0]}".strip()
    return f"{system} {platform.release()}".strip()


def problem_report(qt_version: str, binding_version: str) -> str:
    """The text a writer copies into a problem report, with an empty "What happened" part."""
    lines = [
        "What happened",
        "",
        "(What did you do, what did you expect, and what did Broadsheet do instead?)",
        "",
        "",
        "Versions",
        "",
        f"Broadsheet: {version()}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Qt: {qt_version}, PySide6: {binding_version}",
        f"System: {system_name()} on {platform.machine() or 'unknown hardware'}",
    ]
    return "\n".join(lines) + "\n"
