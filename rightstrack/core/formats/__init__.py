"""One way to write dates and times on every page and in every document, per language
(``FORMAT_MODULE_PATH``): the day, the month in words and the year, so no reader mistakes
3 December for 12 March, and times on the 24-hour clock. Short formats are the same as the long
ones, so a template cannot pick another style by accident; what is not set here comes from
Django's own formats for the language (input formats, number separators)."""
