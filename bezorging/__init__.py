"""The adapters that take a message to its addressee (issue 20; ports and adapters): an SMTP
server with STARTTLS (`smtp`), the print street's folder (`drukstraat`) with the letter as a
PDF (`pdf`), and the local mail sink of `make run` (`postbus`). Their ports are in
domain/bezorging.py; the worker constructs them from the environment (`instellingen`)."""
