"""Sample receipts of every variant: for golden tests, the docs' PNGs and a "test print".

The data is invented but shaped like real sales (a key change before the credit token,
inclining-block breakdown, VAT at 15 %). Long and accented names are deliberate: they show
that names wrap and that code-page handling works.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from printers.model import (
    BreakdownLine,
    EngineeringSlip,
    MeterInfo,
    Money,
    Party,
    PendingSlip,
    PointOfSale,
    Receipt,
    ReportSection,
    Reprint,
    ReversalSlip,
    SaleReceiptData,
    ShiftCloseSlip,
    ShiftReport,
    TokenKind,
    TokenLine,
    TokenReceipt,
    TotalLine,
)

SAST = timezone(timedelta(hours=2), "SAST")
AT = datetime(2026, 11, 25, 9, 41, 12, tzinfo=SAST)

UTILITY = Party(
    name="Mangaung Metropolitan Municipality - Electricity",
    address=("Bram Fischer Building, 1 Nelson Mandela Dr", "Bloemfontein 9301"),
    tax_id="4370106773",
    phone="051 405 8911",
)
POS = PointOfSale(
    vendor=Party(name="Corner Café & Spaza", address=("12 Church St, Heidedal",)),
    vendor_id="V-000421",
    terminal_id="T-0007",
    operator="Thandi Mokoena",
)
CUSTOMER = Party(
    name="Nomvula Dlamini-van der Westhuizen (Estate Late J. Dlamini)",
    address=("Erf 4471, 23 Jacaranda Avenue", "Heidedal, Bloemfontein 9306"),
)
METER = MeterInfo(
    number="01234567897",
    tariff_name="Domestic Prepaid Inclining Block",
    tariff_index="01",
    sgc="600727",
    krn="2",
    tariff_version="2026-07 v3",
    account="5500123498",
)

KEY_CHANGE_1 = TokenLine(TokenKind.KEY_CHANGE_1, "53829106724518390412")
KEY_CHANGE_2 = TokenLine(TokenKind.KEY_CHANGE_2, "60714382951062847735")
CREDIT = TokenLine(TokenKind.CREDIT, "12345678901234567890", units_tenths=1462)
FREE_BASIC = TokenLine(TokenKind.FREE_BASIC, "40958127364509182736", units_tenths=500)


def zar(amount: str) -> Money:
    return Money.of(amount, "ZAR")


def sale(*, key_change: bool = True) -> SaleReceiptData:
    """A R250 sale; with `key_change` the two key-change tokens come first."""
    tokens = (KEY_CHANGE_1, KEY_CHANGE_2, CREDIT, FREE_BASIC) if key_change else (CREDIT,)
    return SaleReceiptData(
        utility=UTILITY,
        pos=POS,
        receipt_no="R-2026-0001342",
        issued_at=AT,
        customer=CUSTOMER,
        meter=METER,
        amount_tendered=zar("250.00"),
        tokens=tokens,
        # Units bought (what the server's `units` says); free units are their own line.
        units_tenths=1462,
        breakdown=(
            BreakdownLine("Block 1", zar("93.45"), units_tenths=500),
            BreakdownLine("Block 2", zar("104.32"), units_tenths=962),
            BreakdownLine("Service charge", zar("10.00"), detail="first purchase of the month"),
            BreakdownLine("Debt recovery", zar("9.62")),
            *((BreakdownLine("Free basic electricity", zar("0.00"), units_tenths=500),)
              if key_change else ()),
        ),
        vat=zar("32.61"),
        vat_rate="15%",
        reference="VP-7F3K-9Q2M",
        # The customer paid with R300 (key-change sample); the single-token one is exact.
        cash_tendered=zar("300.00") if key_change else None,
    )


# Amounts of `token_receipt_in`: tendered, the four breakdown lines, VAT (they add up).
_OTHER_DECIMALS = {
    "UGX": ("120000", ("44850", "50080", "4800", "4620"), "15650"),  # no decimals
    "LYD": ("25.000", ("9.345", "10.432", "1.000", "0.962"), "3.261"),  # three decimals
}


def token_receipt_in(currency: str) -> TokenReceipt:
    """The single-token sale in a currency with other decimals than the rand ("UGX", "LYD")."""
    tendered, amounts, vat = _OTHER_DECIMALS[currency]
    base = sale(key_change=False)
    breakdown = tuple(
        replace(line, amount=Money.of(amount, currency))
        for line, amount in zip(base.breakdown, amounts, strict=True)
    )
    return TokenReceipt(replace(
        base, amount_tendered=Money.of(tendered, currency), breakdown=breakdown,
        vat=Money.of(vat, currency),
    ))


def token_receipt(*, key_change: bool = True) -> TokenReceipt:
    return TokenReceipt(sale(key_change=key_change))


def pending_slip() -> PendingSlip:
    return PendingSlip(
        utility=UTILITY,
        pos=POS,
        reference="OFF-T0007-000058",
        issued_at=AT,
        customer=CUSTOMER,
        meter=METER,
        amount=zar("100.00"),
        delivery=(
            "We will print your token here as soon as the system is back online and send it "
            "by SMS to the number on your account."
        ),
        valid_until=AT + timedelta(hours=24),
    )


def reprint() -> Reprint:
    return Reprint(
        original=token_receipt(key_change=False),
        reprint_no=2,
        reprinted_at=AT + timedelta(hours=3, minutes=5),
        operator="Thandi Mokoena",
    )


def reversal() -> ReversalSlip:
    return ReversalSlip(
        utility=UTILITY,
        pos=POS,
        reversal_no="RV-2026-000019",
        original_receipt_no="R-2026-0001342",
        issued_at=AT + timedelta(minutes=20),
        customer=CUSTOMER,
        meter=METER,
        amount=zar("-250.00"),
        tokens=(CREDIT,),
        reason="Wrong meter number keyed; token not entered",
        supervisor="Pieter Botha (SUP-02)",
    )


def engineering() -> EngineeringSlip:
    return EngineeringSlip(
        utility=UTILITY,
        pos=POS,
        receipt_no="E-2026-000007",
        issued_at=AT,
        meter=METER,
        tokens=(
            TokenLine(TokenKind.CLEAR_TAMPER, "71625384950617283940"),
            TokenLine(
                TokenKind.SET_POWER_LIMIT,
                "29384756102938475610",
                label="Set maximum power limit 4600 W",
            ),
        ),
        supervisor="Pieter Botha (SUP-02)",
        reason="Tamper flag after meter relocation, job card 88121",
        customer=CUSTOMER,
    )


def _report_sections() -> tuple[ReportSection, ...]:
    return (
        ReportSection(
            "By operator",
            (
                TotalLine("Thandi Mokoena", count=41, amount=zar("6830.00")),
                TotalLine("Sipho Nkosi", count=12, amount=zar("1950.00")),
            ),
        ),
        ReportSection(
            "By tender",
            (
                TotalLine("Cash", count=47, amount=zar("7480.00")),
                TotalLine("Card", count=6, amount=zar("1300.00")),
            ),
        ),
        ReportSection(
            "By utility / tariff",
            (
                TotalLine(
                    "Mangaung Domestic Prepaid Inclining Block",
                    count=50,
                    amount=zar("8330.00"),
                    units_tenths=48211,
                ),
                TotalLine("Mangaung Commercial", count=3, amount=zar("450.00"),
                          units_tenths=1975),
            ),
        ),
        ReportSection(
            "Totals",
            (
                TotalLine("Tokens issued", count=61),
                TotalLine("Energy sold", units_tenths=50186),
                TotalLine("VAT", amount=zar("1145.22")),
                TotalLine("Fees", amount=zar("0.00")),
                TotalLine("Reversals", count=1, amount=zar("-250.00")),
                TotalLine("Reprints", count=3),
                TotalLine("Offline sales pending sync", count=2, amount=zar("200.00")),
            ),
        ),
    )


def x_report() -> ShiftReport:
    return ShiftReport(
        pos=POS,
        generated_at=AT.replace(hour=13, minute=2),
        period_start=AT.replace(hour=7, minute=0),
        period_end=AT.replace(hour=13, minute=2),
        sections=_report_sections(),
        utility=UTILITY,
    )


def z_report() -> ShiftReport:
    return ShiftReport(
        pos=POS,
        generated_at=AT.replace(hour=18, minute=30),
        period_start=AT.replace(hour=7, minute=0),
        period_end=AT.replace(hour=18, minute=30),
        sections=_report_sections(),
        z_number=311,
        utility=UTILITY,
    )


def shift_close() -> ShiftCloseSlip:
    return ShiftCloseSlip(
        pos=POS,
        shift_id="S-2026-11-25-T0007-1",
        opened_at=AT.replace(hour=7, minute=0),
        closed_at=AT.replace(hour=18, minute=25),
        opening_float=zar("500.00"),
        cash_sales=zar("7330.00"),
        cash_drops=zar("5000.00"),
        cash_paid_back=zar("100.00"),  # one reversal paid back in cash
        expected=zar("2730.00"),
        counted=zar("2715.50"),
        sales_count=53,
        reversals_count=1,
        reprints_count=3,
        supervisor="Pieter Botha (SUP-02)",
    )


def all_variants() -> dict[str, Receipt]:
    """Every variant by a short name (the golden files are named after these)."""
    return {
        "token_key_change": token_receipt(key_change=True),
        "token_single": token_receipt(key_change=False),
        "pending": pending_slip(),
        "reprint": reprint(),
        "reversal": reversal(),
        "engineering": engineering(),
        "x_report": x_report(),
        "z_report": z_report(),
        "shift_close": shift_close(),
    }



#: Words of the French and Portuguese samples that need a code page beyond ASCII; every one of
#: é, ç, ã, õ and à is in them (the accent tests look for each word on paper).
ACCENTED_WORDS = {
    "fr": ("Électricité", "Aïcha Traoré", "Françoise", "à Cocody", "Redevance d'éclairage"),
    "pt": ("Moçambique", "João Gonçalves", "Conceição", "instruções", "Escalão 1"),
}


def token_receipt_fr() -> TokenReceipt:
    """A French receipt in Abidjan (XOF, no decimals) with accented names and text."""
    base = sale(key_change=False)
    xof = "XOF"
    return TokenReceipt(replace(
        base,
        utility=Party("Compagnie Ivoirienne d'Électricité",
                      address=("Avenue Christiani, Treichville", "Abidjan"),
                      tax_id="CI-0123456"),
        pos=replace(POS, vendor=Party("Épicerie du Carrefour", address=("Boulevard Latrille",)),
                    operator="Françoise Kouassi"),
        customer=Party("Aïcha Traoré", address=("Rue des Jardins à Cocody", "Abidjan")),
        amount_tendered=Money.of("12000", xof),
        breakdown=(BreakdownLine("Tranche 1", Money.of("7900", xof), units_tenths=962),
                   BreakdownLine("Redevance d'éclairage", Money.of("2270", xof))),
        vat=Money.of("1830", xof), vat_rate="18%", cash_tendered=Money.of("15000", xof),
        instructions="Entrez les codes dans le compteur dans l'ordre imprimé, puis appuyez "
                     "sur Entrée (#). Conservez ce reçu.",
    ))


def token_receipt_pt() -> TokenReceipt:
    """A Portuguese receipt in Maputo (MZN) with accented names and text."""
    base = sale(key_change=False)
    mzn = "MZN"
    return TokenReceipt(replace(
        base,
        utility=Party("Electricidade de Moçambique",
                      address=("Avenida Agostinho Neto", "Maputo"), tax_id="400123456"),
        pos=replace(POS, vendor=Party("Loja São Tomé", address=("Rua da Mesquita",)),
                    operator="Conceição Machava"),
        customer=Party("João Gonçalves", address=("Rua da Conceição, 12", "Matola")),
        amount_tendered=Money.of("500.00", mzn),
        breakdown=(BreakdownLine("Escalão 1", Money.of("390.10", mzn), units_tenths=962),
                   BreakdownLine("Taxa de lixo", Money.of("37.25", mzn))),
        vat=Money.of("72.65", mzn), vat_rate="17%", cash_tendered=Money.of("500.00", mzn),
        instructions="Siga as instruções: introduza os códigos no contador pela ordem "
                     "impressa e prima Enter (#). Não perca este recibo.",
    ))
