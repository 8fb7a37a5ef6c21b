# Reflect's timestamp in British English: "17 Jan, 2020 10:43". Other formats: Django's en_GB.
DATETIME_FORMAT = "j M, Y H:i"
# A day on its own, in words: "17 January 2026" (exports, reminders).
DATE_FORMAT = "j F Y"
