"""Validated views of the API's JSON (docs/api.md) and the strict parsers that build them.

Every parser raises `Invalid(problem)` on anything that does not follow the contract: a missing
field, a wrong type, a token that is not 20 digits, money with the wrong number of decimals,
lines that do not add up to the amount. The client turns that into `MalformedResponse`.

One module per resource (terminal, operators, meters, quotes, sales, tariffs, events,
reversals, engineering, reports), `money` for the Money value alone, and `validators` for the
field checks they are all built from. Every name is re-exported here.
"""

from __future__ import annotations

from app.api.models.engineering import (
    ENGINEERING_TYPES,
    REGISTERS,
    EngineeringTokens,
    parse_engineering,
)
from app.api.models.error_body import ApiErrorBody, parse_error
from app.api.models.events import EventPage, PolledEvent, parse_event_page
from app.api.models.meters import MeterInfo, MeterSearchHit, parse_meter, parse_meter_search
from app.api.models.money import Money
from app.api.models.operators import ROLES, OperatorRecord, parse_operators
from app.api.models.quotes import Line, Quote, parse_lines, parse_quote
from app.api.models.reports import (
    ZReconciliation,
    ZReportUpload,
    ZTotals,
    parse_z_reconciliation,
    parse_z_totals,
)
from app.api.models.reversals import Reversal, parse_reversal
from app.api.models.sales import (
    TOKEN_KINDS,
    BatchResult,
    Sale,
    Token,
    parse_batch,
    parse_sale,
    parse_tokens,
)
from app.api.models.tariffs import TariffSummary, parse_tariffs
from app.api.models.terminal import (
    Activation,
    OfflinePolicy,
    TerminalInfo,
    parse_activation,
    parse_offline_policy,
    parse_terminal,
)
from app.api.models.validators import (
    CURRENCY_RE,
    ID_RE,
    METER_RE,
    Invalid,
    boolean,
    id_name,
    integer,
    money,
    obj,
    object_list,
    opt_money,
    opt_string,
    req,
    string,
    time_str,
    unique_string,
    units_str,
)

# `app.api.models.money` is the field parser `validators.money`, as it always was, not the
# submodule of that name: the submodule is loaded first (validators needs Money), so the
# import above binds the name last. `from app.api.models.money import Money` still works.

__all__ = [
    "CURRENCY_RE",
    "ENGINEERING_TYPES",
    "ID_RE",
    "METER_RE",
    "REGISTERS",
    "ROLES",
    "TOKEN_KINDS",
    "Activation",
    "ApiErrorBody",
    "BatchResult",
    "EngineeringTokens",
    "EventPage",
    "Invalid",
    "Line",
    "MeterInfo",
    "MeterSearchHit",
    "Money",
    "OfflinePolicy",
    "OperatorRecord",
    "PolledEvent",
    "Quote",
    "Reversal",
    "Sale",
    "TariffSummary",
    "TerminalInfo",
    "Token",
    "ZReconciliation",
    "ZReportUpload",
    "ZTotals",
    "boolean",
    "id_name",
    "integer",
    "money",
    "obj",
    "object_list",
    "opt_money",
    "opt_string",
    "parse_activation",
    "parse_batch",
    "parse_engineering",
    "parse_error",
    "parse_event_page",
    "parse_lines",
    "parse_meter",
    "parse_meter_search",
    "parse_offline_policy",
    "parse_operators",
    "parse_quote",
    "parse_reversal",
    "parse_sale",
    "parse_tariffs",
    "parse_terminal",
    "parse_tokens",
    "parse_z_reconciliation",
    "parse_z_totals",
    "req",
    "string",
    "time_str",
    "unique_string",
    "units_str",
]
