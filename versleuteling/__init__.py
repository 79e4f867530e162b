"""Payload encryption and the data keys (issue 8, docs/privacy.md): the codec (`codec`), the
keys in PostgreSQL (`opslag`), master-key rotation (`python -m versleuteling.herverpak`).

Shared by the worker (activities), the codec server and the clients (starter); it imports
neither of them, only `domain` for the workflow IDs."""
