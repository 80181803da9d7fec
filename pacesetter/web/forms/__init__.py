"""The typed boundary of every form: what a page accepts, validated before a service runs.

One module per page or group of pages; import a form from its module."""
