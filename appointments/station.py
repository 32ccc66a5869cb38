"""What booking and queue adds to hukou's station overview: the station's windows."""

from django.utils.translation import gettext as _

from hukou.selectors.station import StationSection


def windows_section(*, station) -> StationSection:
    """One line per window of the station (one query)."""
    from appointments.models import Window

    rows = [
        f"{window.number} · {window.name} · {window.get_kind_display()}"
        + ("" if window.is_open else f" ({_('closed')})")
        for window in Window.objects.filter(station=station).order_by("number")
    ]
    return StationSection(title=_("Windows"), rows=rows, empty=_("No windows yet."))
