"""XMLVend faults mapped to the client's typed errors (the ones the sale service handles).

- `BusinessRuleEx` family (meter, customer, money, keys): refused, nothing done, the cashier
  can fix it: `ApiRejected` with our code;
- `ClientIDAuthorisationEx`, `RequestAuthorisationEx`, `ClientIDSSLEx`: this terminal is not
  allowed: `TerminalNotAuthorised`;
- `XMLVendSchemaEx`: our request is wrong: `ApiBug`;
- `UseCaseSupportEx`: the server does not implement it: `ApiRejected` `NOT_OFFERED`;
- `SystemEx`, Hexing `VD.17020008` (busy): the server failed, the outcome of a vend is
  unknown: `ServerUnavailable(sent=True)`;
- `LastResponseEx` / `ConfirmationEx` / `ReversalEx`: no transaction for that msgID:
  `kind() == "no_such_message"` (the caller decides);
- a reused msgID refused (no type exists: `faultCode`/`desc` say it): the first request WAS
  seen: `kind() == "duplicate"` (resolve by advice, never sell again).

Some servers send business refusals as a `SystemEx` (Hexing's FBE-only refusal, Conlog's
"meter not found"): known codes and texts are read before the type.
"""

from __future__ import annotations

import re

from app.api.errors import ApiBug, ApiRejected, ServerUnavailable, TerminalNotAuthorised
from app.api.messages import refusal_text
from app.xmlvend.receipt import Fault
from common.i18n import _

__all__ = ["CODES", "kind", "message", "to_error"]

#: Fault type -> our error code (the reference API's codes where one exists).
CODES = {
    "UnknownMeterEx": "UNKNOWN_METER",
    "MSNOCheckDigitEx": "METER_CHECK_DIGIT",
    "BlockedMeterEx": "BLOCKED_METER",
    "ConfirmCustomerEx": "CUSTOMER_NOT_CONFIRMED",
    "InsufficientMeterDataEx": "INSUFFICIENT_METER_DATA",
    "RequireMeterCardEx": "METER_CARD_REQUIRED",
    "STSDataEx": "STS_DATA",
    "LatestKRNEx": "KEY_REVISION_MUST_BE_UPDATED",
    "SGCAuthorisationEx": "SGC_NOT_AUTHORISED",
    "VendorCreditEx": "INSUFFICIENT_VENDOR_CREDIT",
    "FBEEx": "FBE_REFUSED",
    "DebtEx": "DEBT_REFUSED",
    "ServiceChrgEx": "SERVICE_CHARGE_REFUSED",
    "ReprintEx": "REPRINT_REFUSED",
    "UpdateMtrKeySameEx": "KEY_ALREADY_CURRENT",
}
#: Hexing's codes (faultCode) -> our code; they win over the type.
HEXING = {
    "VD.01010001": "UNKNOWN_CUSTOMER",
    "VD.01010004": "UNKNOWN_METER",
    "VD.17020006": "INSUFFICIENT_VENDOR_CREDIT",
    "VD.17020012": "FBE_REFUSED",
}
_UNAUTHORISED = {"ClientIDAuthorisationEx", "RequestAuthorisationEx", "ClientIDSSLEx"}
_BUSY = {"VD.17020008"}
_NO_SUCH = {"LastResponseEx", "ConfirmationEx", "ReversalEx"}
_DUPLICATE_RE = re.compile(r"duplicate|already (been )?(used|processed|received)|reused",
                           re.IGNORECASE)
_METER_NOT_FOUND_RE = re.compile(r"meter (was )?not found|unknown meter", re.IGNORECASE)


def message(fault: Fault) -> str:
    """What the cashier reads: the server's `operatorMsg`, else `desc`, else the type."""
    return fault.operator_msg or fault.desc or _("The vending server refused ({type})."
                                                 ).format(type=fault.type)


def kind(fault: Fault) -> str:
    """One of: rejected, unauthorised, bug, unsupported, unknown_outcome, no_such_message,
    duplicate."""
    if fault.type in _NO_SUCH:
        return "no_such_message"
    text = f"{fault.code} {fault.desc}"
    if fault.code.upper().startswith("DUP") or _DUPLICATE_RE.search(text):
        return "duplicate"
    if fault.code in HEXING or _METER_NOT_FOUND_RE.search(fault.desc):
        return "rejected"
    if fault.code in _BUSY:
        return "unknown_outcome"
    if fault.type in _UNAUTHORISED:
        return "unauthorised"
    if fault.type == "XMLVendSchemaEx":
        return "bug"
    if fault.type == "UseCaseSupportEx":
        return "unsupported"
    if fault.type in ("SystemEx", "XMLVendFaultEx", ""):
        return "unknown_outcome"
    return "rejected"


def _code(fault: Fault) -> str:
    if fault.code in HEXING:
        return HEXING[fault.code]
    if _METER_NOT_FOUND_RE.search(fault.desc):
        return "UNKNOWN_METER"
    if fault.type in CODES:
        return CODES[fault.type]
    name = re.sub(r"Ex$", "", fault.type) or "REFUSED"
    return "XMLVEND_" + re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def _server_words(fault: Fault) -> str:
    return fault.operator_msg or fault.desc


def to_error(fault: Fault, *, status: int = 500) -> Exception:
    """The typed error for `fault` (`no_such_message` and `duplicate` are the caller's)."""
    what = kind(fault)
    text = message(fault)
    if what == "rejected":
        code = _code(fault)
        # A fault's operatorMsg/desc is written for the operator (often in the utility's own
        # language, and naming what a code cannot); without one, the client's words for it.
        return ApiRejected(_server_words(fault) or refusal_text(code, None, text), code=code,
                           status=status,
                           details={"fault": fault.type, "fault_code": fault.code})
    if what == "unauthorised":
        return TerminalNotAuthorised(
            _("The vending server does not accept this terminal ({type}).").format(
                type=fault.type), code=fault.type)
    if what == "bug":
        return ApiBug(f"The vending server says our request is invalid: {fault.desc}",
                      code="XMLVEND_SCHEMA", status=status)
    if what == "unsupported":
        return ApiRejected(_server_words(fault) or refusal_text("NOT_OFFERED", None, text),
                           code="NOT_OFFERED",
                           status=status, details={"fault": fault.type})
    return ServerUnavailable(
        _("The vending server failed ({type}): {text}").format(type=fault.type, text=text),
        sent=True, status=status)
