# Reflect's timestamp in Arabic: "17 يناير 2020، 10:43" (the month's name, the Arabic comma).
# Other formats: Django's ar.
DATETIME_FORMAT = "j F Y، H:i"
# A day on its own, in words: "17 يناير 2026" (exports, reminders).
DATE_FORMAT = "j F Y"
