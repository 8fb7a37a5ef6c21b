# Reflect's timestamp in Arabic: "17 يناير 2020، 10:43" (the month's name, the Arabic comma).
# Other formats: Django's ar.
DATETIME_FORMAT = "j F Y، H:i"
