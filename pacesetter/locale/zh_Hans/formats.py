"""Number formats of Simplified Chinese where they differ from Django's own module for the
language (``FORMAT_MODULE_PATH``; everything else, dates included, comes from Django's).

Amounts are grouped by thousands with a comma (13,150,000.00), as Chinese business documents
and finance software write them: Django's module groups nothing (``THOUSAND_SEPARATOR = ""``)
and would group by four digits (万) if it did. ``pacesetter.presentation`` and the
``floatformat:"2g"`` filter both read these.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
