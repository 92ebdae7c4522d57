from __future__ import annotations

from common.errors import (
    BusinessRuleError,
    InvalidInput,
    TransientError,
    UserFacingError,
    user_message,
)


def test_user_facing_message_includes_hint() -> None:
    exc = InvalidInput("The meter number must be 11 or 13 digits.", hint="Check the card.")
    title, text = user_message(exc)
    assert title == "Please check the input"
    assert text == "The meter number must be 11 or 13 digits. Check the card."


def test_business_rule_keeps_code() -> None:
    exc = BusinessRuleError("Meter is blocked.", code="BLOCKED_METER")
    assert isinstance(exc, UserFacingError)
    assert exc.code == "BLOCKED_METER"
    assert user_message(exc) == ("Not allowed", "Meter is blocked.")


def test_transient_and_bug_messages() -> None:
    assert user_message(TransientError("Server unreachable."))[0] == "Temporarily unavailable"
    title, text = user_message(KeyError("secret-internal-detail"))
    assert title == "Unexpected error"
    assert "secret-internal-detail" not in text
