# English as an agency writes it the world over, not the US forms ("Mar. 6, 2026, 9:30
# a.m."): the day before the month, and a 24-hour clock.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
