"""Importers of recommendations: one parser per source format, one service that writes them.

Each parser turns a file into a stream of ``RecordDraft`` (a recommendation as the source states
it, with names rather than database ids) and ``RowError`` (a row that cannot be read); the
service resolves names to vocabulary terms and validates the whole file, then writes it in short
steps with an undo log, all or nothing (service.py, ledger.py).
"""
