"""Supervisor screens (Qt): approval dialog, shifts, reports with charts and exports,
engineering tokens, the needs-attention queue and the journal viewer.

`install_supervisor(window, services, actor)` (in `ui.supervisor.install`) adds them to the
application shell as a "Supervisor" menu. The work itself is in the Qt-free `app.supervisor`.
"""
