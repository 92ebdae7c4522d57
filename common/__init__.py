"""The lowest layer of VendPoint: typed errors, the event bus, money, shared format rules and
backoff.

Every other package may import `common`; `common` imports nothing of VendPoint's (only the
standard library), so it can never take part in an import cycle. Never imports Qt.
"""
