"""Scripts around the product: reports, drills and maintenance, each run as
`python scripts/<name>.py`."""
