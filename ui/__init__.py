"""VendPoint's PySide6 user interface: views build widgets, controllers decide."""
