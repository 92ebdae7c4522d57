"""The XMLVend tests' shared fixtures: a reference server per personality and a counter
(terminal, fault proxy, store, backend) on it (defined with the HTTP tests)."""

from tests.app.xmlvend.test_backend_http import counter, personality, server

__all__ = ["counter", "personality", "server"]
