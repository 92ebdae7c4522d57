"""Deterministic demo data: one utility, three tariffs, 22 meters with their stories, for
each demo market.

The same meter numbers (valid Luhn), customers, operators and activation code every time, so
the cashier demo, the tests and `python -m vendserver demo-info` agree. Vending keys and the
tariff-signing key are random per database (they are secrets); everything else is fixed.

A market is one utility's whole dataset in its currency, time zone and language; a database
holds one market (a server serves one utility, as a real utility's does). ZAR (Rivermead) is
the default; UGX, XOF, LYD and MZN tell the same meter stories with the same meter numbers,
operators and PINs, in local money, names and addresses (`MARKETS`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from common.money import Money, format_money
from sts.meter_number import luhn_check_digit
from vendserver.engine import MeterKey
from vendserver.money import money
from vendserver.service import KDF, VendingService, fold, hash_pin, iso

ACTIVATION_CODE = "DEMO-ACT-2026"
VENDOR_ID = "V001"
VENDOR_NAME = "Spaza Corner Vending"
VENDOR_CREDIT = 5_000_000  # R 50 000.00
UTILITY = {
    "id": "U01",
    "name": "Rivermead Municipality Electricity & Water",
    "address": "1 Civic Centre Way, Rivermead, 2190",
    "vat_number": "4123456789",
    "currency": "ZAR",
    "utc_offset_minutes": 120,
    "time_zone": "Africa/Johannesburg",
    "language": "en",
    "locale": "en_ZA",
}
OPERATORS = [
    ("thandi", "Thandi Nkosi", "cashier", "1234"),
    ("sipho", "Sipho Dlamini", "supervisor", "4321"),
    ("admin", "Ayanda Admin", "admin", "9999"),
]
SGC_MAIN = "600123"  # EA11 / DKGA04 meters
SGC_LEGACY = "600456"  # EA09 / DKGA02 meters
EFFECTIVE = "2026-01-01T00:00:00Z"

TARIFFS: list[dict[str, Any]] = [
    {
        "tariff_id": "RES-IBT", "name": "Residential inclining block", "service": "electricity",
        "unit": "kWh", "currency": "ZAR", "prices_include_vat": True, "vat_rate": "15.00",
        "blocks": [
            {"from": "0.0", "to": "50.0", "rate": "2.0000"},
            {"from": "50.0", "to": "350.0", "rate": "2.5000"},
            {"from": "350.0", "to": "600.0", "rate": "3.0000"},
            {"from": "600.0", "to": None, "rate": "3.5000"},
        ],
        "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                           "amount": "45.00"}],
        "debt_recovery": {"percent": "20.00", "minimum": "10.00"},
        "fbe_units_per_month": "50.0",
        "effective_from": EFFECTIVE,
    },
    {
        "tariff_id": "COM-FLAT", "name": "Commercial flat rate", "service": "electricity",
        "unit": "kWh", "currency": "ZAR", "prices_include_vat": False, "vat_rate": "15.00",
        "blocks": [{"from": "0.0", "to": None, "rate": "3.1000"}],
        "fixed_charges": [{"code": "NETWORK", "description": "Network capacity charge",
                           "amount": "250.00"}],
        "debt_recovery": {"percent": "25.00", "minimum": "50.00"},
        "fbe_units_per_month": "0.0",
        "effective_from": EFFECTIVE,
    },
    {
        "tariff_id": "WAT-DOM", "name": "Domestic water", "service": "water", "unit": "kL",
        "currency": "ZAR", "prices_include_vat": True, "vat_rate": "15.00",
        "blocks": [
            {"from": "0.0", "to": "6.0", "rate": "15.5000"},
            {"from": "6.0", "to": "20.0", "rate": "28.0000"},
            {"from": "20.0", "to": None, "rate": "45.0000"},
        ],
        "fixed_charges": [],
        "debt_recovery": {"percent": "10.00", "minimum": "5.00"},
        "fbe_units_per_month": "6.0",
        "effective_from": EFFECTIVE,
    },
]

# (serial, customer name, address, phone, email, tariff, options, tags, note)
_M = dict[str, Any]
METERS: list[_M] = [
    {"name": "Thabo Mokoena", "address": "12 Jacaranda Street, Rivermead",
     "tags": ["normal"], "note": "Ordinary prepaid customer (EA11, DKGA04)."},
    {"name": "Pieter van der Merwe", "address": "4 Kiepersol Avenue, Rivermead",
     "blocked": "Tamper detected; visit the municipal office", "tags": ["blocked"],
     "note": "Blocked meter: lookup shows why; quotes and sales are refused."},
    {"name": "Nomvula Khumalo", "address": "88 Protea Road, Extension 3, Rivermead",
     "arrears": 125_000, "tags": ["arrears"],
     "note": "R 1 250.00 arrears: 20 % of each purchase (minimum R 10.00) recovers debt."},
    {"name": "Johan Botha", "address": "7 Main Road, Rivermead", "pending_ti": 2,
     "tags": ["key_change"],
     "note": "Tariff index change pending: the next sale starts with 4 key change tokens."},
    {"name": "Lindiwe Ndlovu", "address": "33 Mimosa Close, Rivermead", "base_date": 1993,
     "tags": ["key_change", "tid_rollover"],
     "note": "Still on base date 1993: TID rollover key change tokens come before credit."},
    {"name": "Ayesha Patel", "address": "15 Fig Tree Lane, Rivermead", "two_way": True,
     "phone": "+27821234567", "email": "ayesha.patel@example.org",
     "tags": ["two_way", "notify"],
     "note": "Two-way smart meter: the server enters the token and reports the balance."},
    {"name": "Mandla Zulu", "address": "2 Baobab Crescent, Rivermead", "two_way": True,
     "base_date": 1993, "tags": ["two_way", "key_change", "tid_rollover"],
     "note": "Two-way smart meter still on base date 1993: the server enters the key change "
             "tokens and the credit itself."},
    {"name": "Grace Mahlangu", "address": "19 River View, Rivermead", "tariff": "WAT-DOM",
     "service": "water", "fbe": True, "tags": ["water", "fbe"],
     "note": "Water meter (kL); 6 kL free basic water once a month."},
    {"name": "Nokuthula Precious Dlamini-Mthembu-van Rensburg Family Trust",
     "address": "Unit 1204, Sunset Towers, 221 Beach Road Extension, Rivermead Central 2190",
     "tags": ["long_name"], "note": "Very long name and address for receipt layout."},
    {"name": "José Fernandes da Conceição", "address": "5 Rua Nova, Rivermead",
     "tags": ["accented"], "note": "Accented name; search for \"jose\" finds it."},
    {"name": "Zoë Müller-Öztürk", "address": "9 Ährenweg, Rivermead",
     "tags": ["accented"], "note": "Accents and umlauts in name and address."},
    {"name": "Sipho Ngcobo", "address": "41 Aloe Street, Rivermead", "legacy": True,
     "tags": ["ea09", "dkga02"], "note": "Older meter: EA09 (DEA) with DKGA02 (64-bit VK)."},
    {"name": "André du Plessis", "address": "3 Wingerd Street, Rivermead", "legacy": True,
     "tags": ["ea09", "dkga02", "accented"], "note": "Second EA09 / DKGA02 meter."},
    {"name": "Busisiwe Mthethwa", "address": "60 Ubuntu Drive, Rivermead", "fbe": True,
     "tags": ["fbe"], "note": "Registered indigent: 50 kWh free basic electricity monthly."},
    {"name": "Kagiso Molefe", "address": "27 Marula Street, Rivermead", "drn13": True,
     "tags": ["drn13"], "note": "13-digit meter number (4-digit manufacturer code)."},
    {"name": "Spar Kwa-Thema (Pty) Ltd", "address": "Shop 3, Kwa-Thema Mall, Rivermead",
     "tariff": "COM-FLAT", "tags": ["commercial"],
     "note": "Commercial flat rate priced excluding VAT, R 250.00 monthly network charge."},
    {"name": "Lerato Sithole", "address": "11 Acacia Road, Rivermead",
     "email": "lerato@example.org", "tags": ["normal", "notify"],
     "note": "Has an e-mail address for token notifications."},
    {"name": "Fatima Ismail", "address": "8 Palm Court, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Willem Pretorius", "address": "14 Eike Laan, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Precious Mabaso", "address": "70 Freedom Square, Rivermead",
     "arrears": 3_000, "fbe": True, "tags": ["arrears", "fbe"],
     "note": "Small arrears (R 30.00) and FBE: debt capped at what is owed."},
    {"name": "Chen Wei", "address": "22 Lotus Gardens, Rivermead", "tags": ["normal"],
     "note": "Ordinary customer."},
    {"name": "Refilwe Mokoena", "address": "12 Jacaranda Street (back room), Rivermead",
     "tags": ["normal"], "note": "Same address as Thabo Mokoena: search finds both."},
]


@dataclass(frozen=True)
class Market:
    """One demo market: a utility with its vendor, operators, tariffs and customers."""

    code: str
    utility: dict[str, Any]
    vendor_name: str
    vendor_credit: int  # minor units of the utility's currency
    operators: list[tuple[str, str, str, str]]
    supply_groups: tuple[str, str]  # names of SGC_MAIN and SGC_LEGACY
    tariffs: list[dict[str, Any]]
    meters: list[dict[str, Any]]

    @property
    def currency(self) -> str:
        """The utility's currency."""
        return str(self.utility["currency"])

    def summary(self) -> dict[str, str]:
        """The market as `demo-info` lists it."""
        u = self.utility
        return {"code": self.code, "currency": u["currency"], "utility": u["name"],
                "time_zone": u["time_zone"], "language": u["language"], "locale": u["locale"]}


def _tariffs(currency: str, vat: str, names: tuple[str, str, str], fixed: tuple[str, str],
             res: tuple[str, str, str, str, str, str], com: tuple[str, str, str],
             water: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    """The three demo tariffs (same ids, blocks and stories as ZAR's) in a market's money:
    `res` = four block rates, service charge, debt minimum; `com` = rate, network charge,
    debt minimum; `water` = three block rates, debt minimum (amounts with the currency's
    decimals, rates in ten-thousandths)."""
    return [
        {
            "tariff_id": "RES-IBT", "name": names[0], "service": "electricity", "unit": "kWh",
            "currency": currency, "prices_include_vat": True, "vat_rate": vat,
            "blocks": [
                {"from": "0.0", "to": "50.0", "rate": res[0]},
                {"from": "50.0", "to": "350.0", "rate": res[1]},
                {"from": "350.0", "to": "600.0", "rate": res[2]},
                {"from": "600.0", "to": None, "rate": res[3]},
            ],
            "fixed_charges": [{"code": "SERVICE", "description": fixed[0], "amount": res[4]}],
            "debt_recovery": {"percent": "20.00", "minimum": res[5]},
            "fbe_units_per_month": "50.0",
            "effective_from": EFFECTIVE,
        },
        {
            "tariff_id": "COM-FLAT", "name": names[1], "service": "electricity", "unit": "kWh",
            "currency": currency, "prices_include_vat": False, "vat_rate": vat,
            "blocks": [{"from": "0.0", "to": None, "rate": com[0]}],
            "fixed_charges": [{"code": "NETWORK", "description": fixed[1], "amount": com[1]}],
            "debt_recovery": {"percent": "25.00", "minimum": com[2]},
            "fbe_units_per_month": "0.0",
            "effective_from": EFFECTIVE,
        },
        {
            "tariff_id": "WAT-DOM", "name": names[2], "service": "water", "unit": "kL",
            "currency": currency, "prices_include_vat": True, "vat_rate": vat,
            "blocks": [
                {"from": "0.0", "to": "6.0", "rate": water[0]},
                {"from": "6.0", "to": "20.0", "rate": water[1]},
                {"from": "20.0", "to": None, "rate": water[2]},
            ],
            "fixed_charges": [],
            "debt_recovery": {"percent": "10.00", "minimum": water[3]},
            "fbe_units_per_month": "6.0",
            "effective_from": EFFECTIVE,
        },
    ]


def _people(currency: str, tariffs: list[dict[str, Any]], people: list[tuple[str, str]],
            phone: str, blocked: str, arrears: tuple[int, int]) -> list[dict[str, Any]]:
    """ZAR's meter stories told with a market's customers (`people`: 22 names and
    addresses, in METERS' order), its phone numbers, money and blocked reason."""
    if len(people) != len(METERS):
        raise ValueError("a market needs one customer for each demo meter")
    res, com = tariffs[0], tariffs[1]

    def amount(text: str) -> str:
        return format_money(Money.from_wire(text, currency))

    big, small = (format_money(Money(a, currency)) for a in arrears)
    notes = {
        2: f"{big} arrears: 20 % of each purchase (minimum "
           f"{amount(res['debt_recovery']['minimum'])}) recovers debt.",
        9: f"Accented name; search for \"{_folded_first(people[9][0])}\" finds it.",
        15: f"Commercial flat rate priced excluding VAT, "
            f"{amount(com['fixed_charges'][0]['amount'])} monthly network charge.",
        19: f"Small arrears ({small}) and FBE: debt capped at what is owed.",
        21: f"Same address as {people[0][0]}: search finds both.",
    }
    out = []
    for i, (m, (name, address)) in enumerate(zip(METERS, people, strict=True)):
        local = {**m, "name": name, "address": address}
        if i in notes:
            local["note"] = notes[i]
        if "phone" in m:
            local["phone"] = phone
        if "email" in m:
            local["email"] = f"{_folded_first(name)}@example.org"
        if "blocked" in m:
            local["blocked"] = blocked
        if i == 2:
            local["arrears"] = arrears[0]
        if i == 19:
            local["arrears"] = arrears[1]
        out.append(local)
    return out


def _folded_first(name: str) -> str:
    return fold(name.split()[0]).strip(".,")


_UGX_TARIFFS = _tariffs(
    "UGX", "18.00",
    ("Domestic inclining block", "Commercial flat rate", "Domestic water"),
    ("Monthly service fee", "Network capacity charge"),
    ("250.0000", "756.2000", "800.0000", "850.0000", "3360", "1000"),
    ("636.0000", "25000", "5000"),
    ("2500.0000", "3516.0000", "4500.0000", "500"))
_XOF_TARIFFS = _tariffs(
    "XOF", "18.00",
    ("Domestique par tranches", "Professionnel tarif unique", "Eau domestique"),
    ("Redevance mensuelle", "Prime fixe de puissance"),
    ("60.0000", "100.0000", "110.0000", "120.0000", "1000", "500"),
    ("105.0000", "15000", "2500"),
    ("250.0000", "450.0000", "700.0000", "250"))
_LYD_TARIFFS = _tariffs(
    "LYD", "0.00",
    ("Residential inclining block", "Commercial flat rate", "Domestic water"),
    ("Monthly service charge", "Network capacity charge"),
    ("0.0200", "0.0250", "0.0350", "0.0500", "1.000", "0.500"),
    ("0.0400", "10.000", "2.000"),
    ("0.1000", "0.2500", "0.4000", "0.250"))
_MZN_TARIFFS = _tariffs(
    "MZN", "16.00",
    ("Doméstico por escalões", "Comercial taxa única", "Água doméstica"),
    ("Taxa fixa mensal", "Taxa de potência"),
    ("1.0700", "6.7800", "9.1200", "9.6000", "30.00", "50.00"),
    ("8.5000", "1500.00", "250.00"),
    ("25.0000", "45.0000", "70.0000", "25.00"))

_UG_PEOPLE = [
    ("Samuel Okello", "Plot 12, Jinja Road, Nakawa, Kampala"),
    ("Florence Nakato", "Plot 4, Ntinda Road, Ntinda, Kampala"),
    ("Robert Mugisha", "Plot 88, Gaba Road, Kansanga, Kampala"),
    ("Agnes Namubiru", "Plot 7, Bombo Road, Kawempe, Kampala"),
    ("Joseph Ssempijja", "Plot 33, Kira Road, Kamwokya, Kampala"),
    ("Aisha Nansubuga", "Plot 15, Kololo Hill Drive, Kololo, Kampala"),
    ("Brian Tumusiime", "Plot 2, Kampala Road, Bweyogerere, Wakiso"),
    ("Grace Achieng", "Plot 19, Port Bell Road, Luzira, Kampala"),
    ("Nalwoga Nakimuli Kyambadde-Ssekandi Family Estate Administrators",
     "Flat 12B, Crested Towers, 17 Hannington Road, Central Division, Kampala, P.O. Box 70210"),
    ("Élise Nabirye", "Plot 5, Gayaza Road, Kyebando, Kampala"),
    ("Zoë Nakiwala-Müller", "9 Äpfelweg Close, Muyenga, Kampala"),
    ("Peter Wasswa", "Plot 41, Entebbe Road, Kajjansi, Wakiso"),
    ("André Kirabo", "Plot 3, Mengo Hill Road, Mengo, Kampala"),
    ("Sarah Nabukenya", "Plot 60, Kalerwe Market Lane, Kalerwe, Kampala"),
    ("Denis Opio", "Plot 27, Lira Road, Bukoto, Kampala"),
    ("Kireka Fresh Supermarket Ltd", "Shop 3, Kireka Shopping Centre, Kireka, Wakiso"),
    ("Lillian Atim", "Plot 11, Acacia Avenue, Kololo, Kampala"),
    ("Ibrahim Kato", "Plot 8, William Street, Central Division, Kampala"),
    ("Moses Byaruhanga", "Plot 14, Salaama Road, Munyonyo, Kampala"),
    ("Prossy Nantongo", "Plot 70, Nateete Road, Nateete, Kampala"),
    ("Rajesh Patel", "Plot 22, Lumumba Avenue, Nakasero, Kampala"),
    ("Betty Okello", "Plot 12, Jinja Road (boys' quarters), Nakawa, Kampala"),
]
_CI_PEOPLE = [
    ("Kouassi Yao", "Rue des Jardins 12, Cocody, Abidjan"),
    ("Aya Koffi", "Rue 4, Riviera Palmeraie, Cocody, Abidjan"),
    ("Moussa Traoré", "Avenue 88, Treichville, Abidjan"),
    ("Adjoua N'Guessan", "Boulevard Nangui Abrogoua 7, Adjamé, Abidjan"),
    ("Ibrahim Coulibaly", "Rue 33, Marcory Zone 4, Abidjan"),
    ("Fatou Bamba", "Rue du Lycée 15, Plateau, Abidjan"),
    ("Serge Kouamé", "Cité SIR 2, Yopougon, Abidjan"),
    ("Mariam Diallo", "Rue 19, Koumassi Remblais, Abidjan"),
    ("Famille Kouadio-N'Dri-Assalé, Indivision des héritiers de feu Kouadio Assalé",
     "Appartement 1204, Résidence Les Cocotiers, 221 boulevard de Marseille, Zone 4C, "
     "Marcory, Abidjan"),
    ("Hélène Gbagbo-Assi", "Rue des Écoles 5, Bingerville"),
    ("Zoë Kouakou-Müller", "9 allée des Flamboyants, Angré, Cocody, Abidjan"),
    ("Bakary Ouattara", "Rue 41, Abobo Gare, Abidjan"),
    ("André Kacou", "Rue 3, Port-Bouët, Abidjan"),
    ("Awa Konaté", "Quartier Derrière Rails 60, Abobo, Abidjan"),
    ("Jean-Baptiste Zadi", "Rue 27, Williamsville, Adjamé, Abidjan"),
    ("Supermarché Le Bon Prix SARL", "Magasin 3, Centre commercial Cap Sud, Marcory, Abidjan"),
    ("Aminata Touré", "Rue 11, II Plateaux Vallon, Cocody, Abidjan"),
    ("Salimata Sanogo", "Rue 8, Attécoubé, Abidjan"),
    ("Paul Aké", "Rue 14, Anoumabo, Marcory, Abidjan"),
    ("Mariétou Cissé", "Place de la Liberté 70, Adjamé, Abidjan"),
    ("Wei Chen", "Rue 22, Zone 4, Marcory, Abidjan"),
    ("Akissi Yao", "Rue des Jardins 12 (cour arrière), Cocody, Abidjan"),
]
_LY_PEOPLE = [
    ("Mohamed Al-Tarhouni", "12 Omar Al-Mukhtar Street, Tripoli"),
    ("Fatima Ben Ghazi", "4 Gargaresh Road, Tripoli"),
    ("Ali Al-Obeidi", "88 Souq Al-Juma Street, Tripoli"),
    ("Aisha Al-Misrati", "7 First of September Street, Tripoli"),
    ("Khaled Abushagur", "33 Ben Ashour Street, Tripoli"),
    ("Amina Al-Zawi", "15 Hay Al-Andalus, Tripoli"),
    ("Omar Al-Senussi", "2 Airport Road, Tripoli"),
    ("Salma Al-Fitouri", "19 Corniche Road, Tripoli"),
    ("Abdulrahman Mustafa Al-Gharyani Family Endowment (Waqf) Administration",
     "Apartment 1204, Dat Al-Imad Tower 3, Al-Fateh Street Extension, Tripoli Central"),
    ("Hélène Khalifa", "5 Mizran Street, Tripoli"),
    ("Zoë Al-Werfalli-Müller", "9 Ährenweg Lane, Hay Al-Andalus, Tripoli"),
    ("Salem Ben Ali", "41 Janzour Road, Janzour"),
    ("André Haddad", "3 Al-Shat Street, Tripoli"),
    ("Mabrouka Al-Hassi", "60 Abu Salim Road, Tripoli"),
    ("Ibrahim Al-Dabbashi", "27 Tajoura Road, Tajoura"),
    ("Al-Nakheel Supermarket Company", "Shop 3, Al-Nakheel Mall, Gargaresh, Tripoli"),
    ("Huda Al-Barouni", "11 Zawiyat Al-Dahmani, Tripoli"),
    ("Nour Al-Kikhia", "8 Bab Bin Ghashir, Tripoli"),
    ("Youssef Al-Mahdawi", "14 Al-Hadba Al-Khadra, Tripoli"),
    ("Rabia Al-Sharif", "70 Martyrs' Square, Tripoli"),
    ("Wei Chen", "22 Al-Dahra Street, Tripoli"),
    ("Maryam Al-Tarhouni", "12 Omar Al-Mukhtar Street (rear annex), Tripoli"),
]
_MZ_PEOPLE = [
    ("Tomás Macuácua", "Rua da Resistência 12, Malhangalene, Maputo"),
    ("Graça Mondlane", "Avenida Vladimir Lenine 4, Maputo"),
    ("Armando Cossa", "Bairro do Aeroporto 88, Quarteirão 3, Maputo"),
    ("Lurdes Chissano", "Avenida Eduardo Mondlane 7, Maputo"),
    ("Joaquim Sitoe", "Rua de Tchamba 33, Sommerschield, Maputo"),
    ("Amina Abdula", "Avenida Julius Nyerere 15, Polana, Maputo"),
    ("Celso Nhantumbo", "Bairro Zimpeto 2, Quarteirão 14, Maputo"),
    ("Rosa Muianga", "Rua do Rio Umbeluzi 19, Matola"),
    ("Herdeiros de Ernesto Mabunda Nhamposse, Sociedade Familiar Limitada",
     "Apartamento 1204, Prédio 33 Andares, Avenida 24 de Julho 221, Maputo Cidade"),
    ("Conceição Zandamela", "Rua da Mesquita 5, Baixa, Maputo"),
    ("Zoë Nhaca-Müller", "Rua Ährenweg 9, Costa do Sol, Maputo"),
    ("Fernando Guambe", "Bairro da Machava 41, Matola"),
    ("André Tembe", "Rua de Kassuende 3, Maputo"),
    ("Felismina Mabote", "Bairro de Xipamanine 60, Maputo"),
    ("Abílio Manhiça", "Avenida das FPLM 27, Mavalane, Maputo"),
    ("Supermercado Bom Preço, Lda", "Loja 3, Centro Comercial Maputo Shopping, Maputo"),
    ("Esperança Langa", "Rua da Argélia 11, Maputo"),
    ("Fátima Momade", "Avenida Karl Marx 8, Maputo"),
    ("Victor Matsinhe", "Rua dos Lusíadas 14, Maputo"),
    ("Joana Machava", "Praça da Independência 70, Maputo"),
    ("Wei Chen", "Avenida Mao Tsé Tung 22, Maputo"),
    ("Marta Macuácua", "Rua da Resistência 12 (dependência), Malhangalene, Maputo"),
]

MARKETS: dict[str, Market] = {
    "ZAR": Market("ZAR", UTILITY, VENDOR_NAME, VENDOR_CREDIT, OPERATORS,
                  ("Rivermead main", "Rivermead legacy"), TARIFFS, METERS),
    "UGX": Market(
        "UGX",
        {"id": "U01", "name": "Lake Victoria Power Distribution Ltd",
         "address": "Plot 10, Lugogo Bypass, Kampala", "vat_number": "1000123456",
         "currency": "UGX", "utc_offset_minutes": 180, "time_zone": "Africa/Kampala",
         "language": "en", "locale": "en_UG"},
        "Kikuubo Corner Vending", 50_000_000,  # UGX 50,000,000
        [("thandi", "Harriet Namutebi", "cashier", "1234"),
         ("sipho", "Simon Mugerwa", "supervisor", "4321"),
         ("admin", "Alex Admin", "admin", "9999")],
        ("Kampala main", "Kampala legacy"), _UGX_TARIFFS,
        _people("UGX", _UGX_TARIFFS, _UG_PEOPLE, "+256772123456",
                "Tamper detected; visit the customer service centre", (350_000, 20_000))),
    "XOF": Market(
        "XOF",
        {"id": "U01", "name": "Société Lagunaire d'Électricité et d'Eau",
         "address": "Boulevard de la République, Plateau, Abidjan", "vat_number": "1234567A",
         "currency": "XOF", "utc_offset_minutes": 0, "time_zone": "Africa/Abidjan",
         "language": "fr", "locale": "fr_CI"},
        "Boutique Recharge Adjamé", 20_000_000,  # XOF 20,000,000
        [("thandi", "Aminata Koné", "cashier", "1234"),
         ("sipho", "Serge Kouassi", "supervisor", "4321"),
         ("admin", "Adjoua Admin", "admin", "9999")],
        ("Abidjan principal", "Abidjan ancien"), _XOF_TARIFFS,
        _people("XOF", _XOF_TARIFFS, _CI_PEOPLE, "+2250701234567",
                "Fraude détectée ; passez à l'agence commerciale", (75_000, 5_000))),
    "LYD": Market(
        "LYD",
        {"id": "U01", "name": "Al-Wahat Electricity Distribution Company",
         "address": "Omar Al-Mukhtar Street, Tripoli", "vat_number": "0012345678",
         "currency": "LYD", "utc_offset_minutes": 120, "time_zone": "Africa/Tripoli",
         "language": "en", "locale": "en"},
        "Souk Al-Juma Vending", 20_000_000,  # LYD 20,000.000
        [("thandi", "Huda Al-Tarhouni", "cashier", "1234"),
         ("sipho", "Salem Ben Ali", "supervisor", "4321"),
         ("admin", "Ahmed Admin", "admin", "9999")],
        ("Tripoli main", "Tripoli legacy"), _LYD_TARIFFS,
        _people("LYD", _LYD_TARIFFS, _LY_PEOPLE, "+218911234567",
                "Tamper detected; visit the customer service office", (75_000, 2_000))),
    "MZN": Market(
        "MZN",
        {"id": "U01", "name": "Electricidade e Águas do Índico, E.P.",
         "address": "Avenida 25 de Setembro 1218, Maputo", "vat_number": "400123456",
         "currency": "MZN", "utc_offset_minutes": 120, "time_zone": "Africa/Maputo",
         "language": "pt", "locale": "pt_MZ"},
        "Loja de Recargas Xipamanine", 50_000_000,  # MZN 500,000.00
        [("thandi", "Teresa Macamo", "cashier", "1234"),
         ("sipho", "Sérgio Langa", "supervisor", "4321"),
         ("admin", "Ana Admin", "admin", "9999")],
        ("Maputo principal", "Maputo antigo"), _MZN_TARIFFS,
        _people("MZN", _MZN_TARIFFS, _MZ_PEOPLE, "+258841234567",
                "Fraude detectada; dirija-se à agência comercial", (500_000, 15_000))),
}
#: The market `serve --demo` and `demo-info` use unless told otherwise.
DEFAULT_MARKET = "ZAR"


def market(code: str | None = None) -> Market:
    """The demo market `code` (its currency; default ZAR); KeyError names the known ones."""
    key = (code or DEFAULT_MARKET).upper()
    if key not in MARKETS:
        raise KeyError(f"no demo market {code!r} (known: {', '.join(MARKETS)})")
    return MARKETS[key]


def market_of(service: VendingService) -> Market:
    """The demo market a seeded database holds (by its utility's currency; ZAR if empty)."""
    utility = service.store.utility()
    currency = None if utility is None else str(utility["currency"])
    return MARKETS.get(currency or DEFAULT_MARKET, MARKETS[DEFAULT_MARKET])


def drn_for(index: int, thirteen: bool = False) -> str:
    """The demo meter number for position `index` (deterministic, valid Luhn)."""
    body = f"0417{10000001 + index:08d}" if thirteen else f"04{20000011 + index * 7:08d}"
    return body + str(luhn_check_digit(body))


def meter_records(code: str | None = None) -> list[dict[str, Any]]:
    """Every demo meter of a market with its derived fields (number, account, key data);
    the meter numbers and accounts are the same in every market."""
    out = []
    for i, m in enumerate(market(code).meters):
        legacy = bool(m.get("legacy"))
        out.append({
            **m,
            "meter_number": drn_for(i, bool(m.get("drn13"))),
            "account": f"ACC-{100101 + i}",
            "tariff": m.get("tariff", "RES-IBT"),
            "service": m.get("service", "electricity"),
            "ea": 9 if legacy else 11,
            "dkga": 2 if legacy else 4,
            "sgc": SGC_LEGACY if legacy else SGC_MAIN,
            "base_date": m.get("base_date", 2014),
        })
    return out


def seed(service: VendingService, code: str | None = None) -> bool:
    """Fill an empty database with a market's demo data (default ZAR); False if it already
    holds a utility."""
    mk = market(code)
    store = service.store
    if store.utility() is not None:
        return False
    now = iso(service.now())
    with store.transaction():
        store.set_utility(mk.utility)
        store.add_supply_group(SGC_MAIN, mk.supply_groups[0], secrets.token_bytes(20),
                               secrets.token_bytes(8))
        store.add_supply_group(SGC_LEGACY, mk.supply_groups[1], secrets.token_bytes(20),
                               secrets.token_bytes(8))
        for doc in mk.tariffs:
            service.publish_tariff(doc)
        store.add_vendor(VENDOR_ID, mk.vendor_name, mk.vendor_credit)
        store.add_activation_code(ACTIVATION_CODE, VENDOR_ID, 1000)
        for op_id, name, role, pin in mk.operators:
            salt = hashlib.sha256(f"demo-salt-{op_id}".encode()).digest()[:16]
            store.add_operator({
                "id": op_id, "name": name, "role": role, "vendor_id": VENDOR_ID,
                "pin_salt": salt, "pin_hash": hash_pin(pin, salt), "kdf_n": KDF["n"],
                "kdf_r": KDF["r"], "kdf_p": KDF["p"], "kdf_dklen": KDF["dklen"],
                "active": 1, "updated_at": now,
            })
        for m in meter_records(mk.code):
            customer_id = store.add_customer(
                m["name"], m["address"], m["account"], m.get("phone"), m.get("email"),
                bool(m.get("fbe")), int(m.get("arrears", 0)),
                fold(" ".join((m["name"], m["account"], m["address"]))))
            key = MeterKey(sgc=m["sgc"], ti=1, krn=1, kt=2, ea=m["ea"],
                           base_date=m["base_date"], ken=255, dkga=m["dkga"])
            key.check()  # e.g. DKGA02 only with EA09/EA07: refuse bad demo data at once
            store.add_meter({
                "drn": m["meter_number"], "customer_id": customer_id, "tariff_id": m["tariff"],
                "service": m["service"], "sgc": key.sgc, "krn": key.krn, "ti": key.ti,
                "ea": key.ea, "kt": key.kt, "ken": key.ken, "base_date": key.base_date,
                "dkga": key.dkga, "two_way": int(bool(m.get("two_way"))),
                "blocked": int(bool(m.get("blocked"))), "blocked_reason": m.get("blocked"),
                "pending_ti": m.get("pending_ti"), "initial_key": key.to_json(),
            })
    return True


def demo_info(service: VendingService | None = None, code: str | None = None
              ) -> dict[str, Any]:
    """The demo-info JSON (docs/api.md §8) of market `code`; with a `service` and no code,
    of the market its database holds. `markets` lists every demo market."""
    mk = market(code) if code or service is None else market_of(service)
    cur = mk.currency
    signing = None
    if service is not None:
        keys = service.signing_keys_wire()
        if keys:
            signing = {"key_id": keys[-1]["key_id"], "public_key": keys[-1]["public_key"]}
    return {
        "activation_code": ACTIVATION_CODE,
        "utility": {"id": mk.utility["id"], "name": mk.utility["name"], "currency": cur},
        "vendor": {"id": VENDOR_ID, "name": mk.vendor_name,
                   "credit": money(mk.vendor_credit, cur)},
        "operators": [{"id": i, "name": n, "role": r, "pin": p} for i, n, r, p in mk.operators],
        "tariffs": [{"id": t["tariff_id"], "name": t["name"], "service": t["service"]}
                    for t in mk.tariffs],
        "meters": [{
            "meter_number": m["meter_number"], "customer_name": m["name"],
            "account": m["account"], "address": m["address"], "service": m["service"],
            "tariff_id": m["tariff"], "ea": m["ea"], "dkga": m["dkga"],
            "base_date": m["base_date"], "two_way": bool(m.get("two_way")),
            "blocked": bool(m.get("blocked")), "arrears": money(int(m.get("arrears", 0)), cur),
            "fbe": bool(m.get("fbe")),
            "key_change_due": m["base_date"] == 1993 or m.get("pending_ti") is not None,
            "tags": m["tags"], "note": m["note"],
        } for m in meter_records(mk.code)],
        "tariff_signing_key": signing,
        "market": mk.code,
        "markets": [m.summary() for m in MARKETS.values()],
    }


def dumps(info: dict[str, Any]) -> str:
    """Pretty JSON for the CLI."""
    return json.dumps(info, ensure_ascii=False, indent=2)
