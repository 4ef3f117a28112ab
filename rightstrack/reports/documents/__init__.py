"""Generated documents: a small neutral model of a document (model.py), built once per report by
a builder (builders/), and rendered by two writers (docx.py, pdf.py) so that the Word file and the
PDF carry the same content. Charts are the pages' charts
(core.charts), drawn as PNG pictures by core.chart_png."""
