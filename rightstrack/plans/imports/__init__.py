"""Action plans in and out of a spreadsheet: the XLSX template (blank or filled with a plan's
measures, template.py) and the import of a filled-in template or Word table (service.py)."""

# The format of their import batches (see recommendations.imports.formats).
PLAN_FORMAT = "action-plan"
