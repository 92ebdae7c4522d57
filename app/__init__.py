"""VendPoint core: sale services, API client, events, settings. Never imports Qt."""
