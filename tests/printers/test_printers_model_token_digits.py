"""A token line takes ASCII digits only: other digits would print as '?' and lose the token.

Found probing the model: Arabic-Indic digits ("٥٩٣٨...") were accepted (Python's \\d), and
a trailing newline slipped through `$`; a thermal printer cannot print the former and the
latter breaks the 4-4-4-4-4 grouping.
"""

from __future__ import annotations

import pytest

from common.errors import InvalidInput
from printers.model import TokenKind, TokenLine


@pytest.mark.parametrize("digits", ["٥٩٣٨٦٣٢٣٤٧٢١٣٧٤٢٦٩٦٧", "59386323472137426967\n",
                                    "５９３８６３２３４７２１３７４２６９６７"])
def test_non_ascii_or_trailing_newline_is_refused(digits: str) -> None:
    with pytest.raises(InvalidInput) as info:
        TokenLine(TokenKind.CREDIT, digits)
    assert digits.strip() not in str(info.value)


def test_spaces_and_dashes_still_accepted() -> None:
    line = TokenLine(TokenKind.CREDIT, "5938-6323 4721-3742 6967")
    assert line.grouped() == "5938 6323 4721 3742 6967"
