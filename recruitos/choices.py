"""Matching enumeration values the way people type them: ignoring case and surrounding space."""


def canonical_choice(value, choices):
    """Return the stored spelling of `value` among `choices` ("indeed" → "Indeed"), else `value`."""
    if not isinstance(value, str):
        return value
    wanted = value.strip().casefold()
    for stored, _label in choices:
        if str(stored).casefold() == wanted:
            return stored
    return value
