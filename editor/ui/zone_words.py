"""The writer's time zone in words, as the post panel and the schedule dialogs show it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimeZone

from editor.core.local_zone import system_zone_id


def zone_name(local: dt.datetime) -> str:
    """The writer's time zone as a writer knows it: "Europe/Berlin (UTC+01:00)"."""
    zone = system_zone_id() or QTimeZone.systemTimeZoneId().toStdString()
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{zone} (UTC{offset})" if zone else f"UTC{offset}"


def tomorrow_morning() -> dt.datetime:
    """9:00 tomorrow, the writer's time: what a new schedule starts from."""
    tomorrow = dt.datetime.now().astimezone() + dt.timedelta(days=1)
    return tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
