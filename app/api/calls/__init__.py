"""The vending API's calls, one module per resource; `app.api.client.VendingClient` has them all.

Each class adds the calls of one resource to `app.api.transport.Transport`.
"""
