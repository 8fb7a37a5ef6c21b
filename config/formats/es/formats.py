# Reflect's timestamp in Spanish: day first, numeric and short for a phone's post line,
# "17/01/2020 10:43". Other formats: Django's es.
DATETIME_FORMAT = "d/m/Y H:i"
# A day on its own, in words: "17 de enero de 2026" (exports, reminders).
DATE_FORMAT = r"j \d\e F \d\e Y"
