"""Money in the API: the one Money type (integer minor units with an ISO 4217 currency).

The type lives in `common.money`, shared by every layer; reading a Money object out of an
answer is `validators.money`.
"""

from __future__ import annotations

from common.money import Money

__all__ = ["Money"]
