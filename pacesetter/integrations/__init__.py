"""Live CRM sync: connectors that read HubSpot, Pipedrive and Salesforce through their APIs
and write what they read through the file importers' own upsert (``ledger.importers``).

A connector turns each page of API records into the rows of the vendor's export (the
columns of its preset in ``ledger/importers/presets.py``); ``sync.sync_run`` writes them
to a temporary CSV file and hands it to ``run_import`` with that preset, so validation,
the report, the rollups and ``ledger_changed`` are those of a file import, and a sync and
an import of the same records agree row for row. Records deleted or merged away in the CRM
leave the ledger through ``ledger.removal.ledger_rows_remove``.
"""
