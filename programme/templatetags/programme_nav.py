"""Links of the programme's day tabs: the same filters, another day."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def day_tab_url(schedule, filters, day=None):
    """The programme's URL showing `day` (or every day when None), keeping the reader's other filters."""
    pairs = [(name, value) for name, value in (filters.as_query() if filters else []) if name != "day"]
    if day is not None:
        pairs.insert(0, ("day", day.isoformat()))
    return schedule.programme_path + ("?" + urlencode(pairs) if pairs else "")


@register.simple_tag
def active_filter_count(filters):
    """How many filters besides the day narrow the programme (shown on the folded filter control)."""
    return len([name for name, _value in (filters.as_query() if filters else []) if name != "day"])
