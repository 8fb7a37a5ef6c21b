# Reflect's timestamp in Spanish: day first, numeric and short for a phone's post line,
# "17/01/2020 10:43". Other formats: Django's es.
DATETIME_FORMAT = "d/m/Y H:i"
