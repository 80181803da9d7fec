"""Reading one cell: text, money, numbers, dates and moments, segments, activity kinds, people.

Every parser takes the cell's text (already stripped) and returns a value or raises
``CellError`` with a reason a sales-ops person can act on. Nothing is ever evaluated: a
cell that looks like a spreadsheet formula is text in a text field and an error elsewhere.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from pacesetter.ledger.importers.hints import CLI, Hints
from pacesetter.ledger.models import Activity, Segment
from pacesetter.org.models import CrmIdentity, Person

CENT = Decimal("0.01")
MAX_CENTS = 10**15  # a trillion in money: beyond it the number is surely a mistake


class CellError(ValueError):
    """A cell's value is unusable; the message is the reason shown in the report."""


def norm(value: str) -> str:
    """A label compared loosely: only letters and digits count, in any case, so that
    ``CloseDate``, ``Close Date``, ``close_date`` and ``Closed: won``/``Closed Won`` agree."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def formula_check(value: str) -> None:
    if value.startswith("="):
        raise CellError(_("looks like a spreadsheet formula; formulas are never evaluated: "
                          "enter the value itself"))  # fmt: skip


def text(value: str, max_length: int) -> str:
    """Plain text (a formula-looking value is kept as it is), at most ``max_length``."""
    if len(value) > max_length:
        raise CellError(
            _("longer than %(max)s characters (%(length)s)")
            % {"max": max_length, "length": f"{len(value):,}"}
        )
    return value


# --- numbers -------------------------------------------------------------------------

# A currency before or after the number: an ISO code, or a symbol (``US$``, ``€``, ``¥``).
_SIGNS = r"US\$|C\$|A\$|NZ\$|HK\$|S\$|R\$|CN¥|JP¥|RMB|[$€£¥￥₹₩元]"
_CURRENCY = re.compile(rf"^(?:[A-Z]{{3}}|{_SIGNS})|(?:[A-Z]{{3}}|{_SIGNS})$")
_CODE = re.compile(r"[A-Z]{3}")
# The currencies a symbol is written for; ``$`` is the org's own dollar, else the US one.
SYMBOLS: dict[str, tuple[str, ...]] = {
    "US$": ("USD",), "C$": ("CAD",), "A$": ("AUD",), "NZ$": ("NZD",), "HK$": ("HKD",),
    "S$": ("SGD",), "R$": ("BRL",), "CN¥": ("CNY",), "JP¥": ("JPY",), "RMB": ("CNY",),
    "元": ("CNY",), "€": ("EUR",), "£": ("GBP",), "₹": ("INR",), "₩": ("KRW",),
    "¥": ("JPY", "CNY"), "￥": ("CNY", "JPY"),
    "$": ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"),
}  # fmt: skip
MAX_TOTAL_CENTS = 10**17  # a file's amounts together; the rollups' BIGINT holds 9.2 × 10**18
_POINT_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_POINT_PLAIN = re.compile(r"\d*\.?\d*")
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?")
_COMMA_PLAIN = re.compile(r"\d*,?\d*")
_EXPONENT = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class Numbers:
    """Amounts and counts: ``1,234.50``, ``$1,234.50``, ``1234.5`` (``1.234,50`` with
    ``decimal_comma``). More than two decimals is refused unless ``round_cents``."""

    def __init__(
        self,
        *,
        round_cents: bool = False,
        decimal_comma: bool = False,
        hints: Hints = CLI,
        currency: str = "",
        rates: dict[str, Decimal] | None = None,
    ) -> None:
        self.round_cents = round_cents
        self.decimal_comma = decimal_comma
        self.hints = hints
        # The org's currency: an amount in another is refused unless ``rates`` converts it
        # (one unit of the key's currency is that many of the org's). "": any is read.
        self.currency = currency
        self.rates = rates or {}
        self.converted: Counter[str] = Counter()  # currency → amounts converted

    def decimal(self, value: str) -> Decimal:
        """A non-negative number with at most two decimals (rounded half-up if allowed), in
        the org's currency if it names one."""
        number, currency = self._amount(value)
        if currency is not None and self.currency and currency != self.currency:
            raise CellError(self._foreign(currency))
        return number

    def _amount(self, value: str) -> tuple[Decimal, str | None]:
        """The number, and the currency it is written in (None: it names none)."""
        formula_check(value)
        cleaned = _SPACES.sub("", value)
        negative = False
        currency = None
        if cleaned.startswith("(") and cleaned.endswith(")"):  # accounting: (1,234.50)
            negative, cleaned = True, cleaned[1:-1]
        for _pass in range(2):  # the sign and the currency, in either order: -$5, $-5
            if cleaned[:1] in ("-", "+"):
                negative, cleaned = negative or cleaned[0] == "-", cleaned[1:]
            found = _CURRENCY.search(cleaned)
            if found is not None and found[0]:
                currency = currency or self.currency_of(found[0])
                cleaned = cleaned[: found.start()] + cleaned[found.end() :]
        number = self._number(cleaned)
        if negative and number != 0:
            raise CellError(_("a negative amount is refused"))
        if number != number.quantize(CENT, rounding=ROUND_HALF_UP) and not self.round_cents:
            raise CellError(
                _("more than 2 decimal places (%(fix)s to round)")
                % {"fix": self.hints.option("round_cents")}
            )
        return number.quantize(CENT, rounding=ROUND_HALF_UP), currency

    def currency_of(self, sign: str) -> str:
        """The currency of a code or symbol: the org's if the symbol is written for it, else
        the one a rate was given for; a symbol several currencies use names them all."""
        if _CODE.fullmatch(sign):
            return sign
        codes = SYMBOLS[sign]
        if self.currency in codes:
            return self.currency
        given = [code for code in codes if code in self.rates]
        if len(given) == 1:
            return given[0]
        return codes[0] if sign == "$" else _(" or ").join(codes)

    def currency_cell(self, value: str) -> str:
        """A currency column's cell: ``EUR``, ``eur``, ``€``."""
        sign = value.strip()
        if sign.upper() != sign and _CODE.fullmatch(sign.upper()):
            sign = sign.upper()
        if not (_CODE.fullmatch(sign) or sign in SYMBOLS):
            raise CellError(_("not a currency (write its code, e.g. EUR)"))
        return self.currency_of(sign)

    def cents(self, value: str, currency: str | None = None) -> int:
        """An amount of money in whole cents of the org's currency; ``currency``: the row's
        currency column. An amount in another currency is converted at its rate, else
        refused."""
        number, written = self._amount(value)
        if written is not None and currency is not None and written != currency:
            raise CellError(
                _("the amount is in %(written)s, the currency column says %(column)s")
                % {"written": written, "column": currency}
            )
        currency = written or currency
        if currency is not None and self.currency and currency != self.currency:
            rate = self.rates.get(currency)
            if rate is None:
                raise CellError(self._foreign(currency))
            number = (number * rate).quantize(CENT, rounding=ROUND_HALF_UP)
            self.converted[currency] += 1
        cents = int(number * 100)
        if cents >= MAX_CENTS:
            raise CellError(_("an implausibly large amount"))
        return cents

    def _foreign(self, currency: str) -> str:
        # The hint names the code to give a rate for; XXX (ISO 4217's "no currency") when
        # the file wrote a sign that several currencies share (¥: JPY or CNY).
        code = currency.split()[0] if _CODE.fullmatch(currency[:3]) else "XXX"
        return _(
            "an amount in %(currency)s, not in the organisation's %(own)s (%(fix)s to convert it)"
        ) % {
            "currency": currency,
            "own": self.currency,
            "fix": self.hints.option("rate", f"{code}=RATE"),
        }

    def note(self) -> list[str]:
        """What was converted, for the report: one sentence per currency."""
        return [
            _(
                "amounts in %(currency)s converted to %(own)s at %(rate)s (rounded to the "
                "cent, half up): %(count)s"
            )
            % {"count": f"{count:,}", "currency": currency, "own": self.currency,
               "rate": self.rates[currency]}
            for currency, count in sorted(self.converted.items())
        ]  # fmt: skip

    def _number(self, cleaned: str) -> Decimal:
        cleaned = self._plain_digits(cleaned)
        if not cleaned or cleaned == ".":
            raise CellError(_("not a number"))
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise CellError(_("not a number")) from None
        if not number.is_finite() or number >= MAX_CENTS:
            raise CellError(_("an implausibly large number"))
        return number

    def _plain_digits(self, cleaned: str) -> str:
        """The number without its digit grouping, with a decimal point: ``1.234,50`` (with
        ``decimal_comma``) and ``1,234.50`` are ``1234.50``; CellError for another way of
        writing it."""
        if self.decimal_comma:
            if _COMMA_GROUPED.fullmatch(cleaned):
                return cleaned.replace(".", "").replace(",", ".")
            if _COMMA_PLAIN.fullmatch(cleaned):
                return cleaned.replace(",", ".")
            if not _EXPONENT.fullmatch(cleaned):
                raise CellError(
                    _("not a number (with %(option)s, write 1.234,50)")
                    % {"option": self.hints.name("decimal_comma")}
                )
            return cleaned
        if _POINT_GROUPED.fullmatch(cleaned):
            return cleaned.replace(",", "")
        if not (_POINT_PLAIN.fullmatch(cleaned) or _EXPONENT.fullmatch(cleaned)):
            if "," in cleaned:
                raise CellError(
                    _("not a number (for 1.234,50 %(fix)s)")
                    % {"fix": self.hints.option("decimal_comma")}
                )
            raise CellError(_("not a number"))
        return cleaned


def exchange_rates(given: Mapping[str, object]) -> dict[str, Decimal]:
    """``--rate EUR=1.08`` (one EUR is 1.08 of the org's currency), checked; CellError
    names what is wrong."""
    rates = {}
    for code, rate in given.items():
        key = str(code).strip().upper()
        if not _CODE.fullmatch(key):
            raise CellError(_("not a currency code (three letters, e.g. EUR)"))
        try:
            number = Decimal(str(rate).strip())
        except InvalidOperation:
            number = Decimal(0)
        if not number.is_finite() or number <= 0 or number >= MAX_CENTS:
            raise CellError(
                _(
                    "a rate must be a positive number: EUR=1.08 means one EUR is 1.08 of "
                    "the organisation's currency"
                )
            )
        rates[key] = number
    return rates


# --- labels --------------------------------------------------------------------------


def english(label: object) -> str:
    """A model choice's label in English (labels are translated for the pages; files spell
    them in English, whatever the reader's language)."""
    with translation.override("en"):
        return str(label)


SEGMENT_NAMES: dict[str, str] = {
    **{v: v for v in Segment.values},
    **{norm(v): v for v in Segment.values},
    **{norm(english(label)): value for value, label in Segment.choices},
    **{norm(k): v for k, v in {"mm": "mid_market", "small business": "smb",
       "small and medium business": "smb", "ent": "enterprise"}.items()},
}  # fmt: skip


def segment(value: str) -> str:
    """``enterprise``, ``mid_market`` or ``smb`` from their usual spellings."""
    found = SEGMENT_NAMES.get(value) or SEGMENT_NAMES.get(norm(value))
    if found is None:
        raise CellError(
            _("unknown segment (use %(segments)s)") % {"segments": ", ".join(Segment.values)}
        )
    return found


# CRM activity types as they appear in exports (HubSpot's CALL/EMAIL/MEETING, Salesforce's
# TaskSubtype and Type picklists, Pipedrive's activity types), to Pacesetter's kinds.
_SPELLINGS = {
    "e mail": "email", "emails": "email", "email sent": "email", "outgoing email": "email",
    "list email": "email", "sent email": "email", "logged email": "email",
    "calls": "call", "phone call": "call", "phone": "call", "call made": "call",
    "outbound call": "call", "inbound call": "call", "logged call": "call",
    "call logged": "call", "dial": "call",
    "meeting booked": "meeting_booked", "booked meeting": "meeting_booked",
    "meetings": "meeting", "meeting held": "meeting", "lunch": "meeting",
    "demos": "demo", "product demo": "demo", "demo held": "demo",
    "articles": "article", "article shared": "article",
    "events": "event", "event attended": "event",
}  # fmt: skip
ACTIVITY_KINDS: dict[str, str] = (
    {norm(v): v for v in Activity.Kind.values}
    | {norm(english(label)): value for value, label in Activity.Kind.choices}
    | {norm(k): v for k, v in _SPELLINGS.items()}
)
IGNORE = "ignore"
# A to-do that is none of the kinds above: "Task", "To-do", "Other", a note. Such rows are
# not counted (a note says how many, and how to map them) unless another column of the row
# names a kind.
GENERIC = "generic"
GENERIC_TYPES = {norm(v) for v in (
    "task", "todo", "to do", "other", "note", "notes", "deadline", "cadence", "follow up",
    "linkedin", "linked in", "linkedin message", "whatsapp", "sms", "postal mail", "none",
)}  # fmt: skip


class Kinds:
    """Activity types to kinds: the built-in spellings, the preset's, then ``--type-map
    VALUE=KIND`` (``KIND`` may be ``ignore`` to skip such rows)."""

    def __init__(
        self, extra: dict[str, str], hints: Hints = CLI, preset: dict[str, str] | None = None
    ) -> None:
        self.hints = hints
        self.names = dict(ACTIVITY_KINDS) | dict.fromkeys(GENERIC_TYPES, GENERIC)
        for value, kind in [*(preset or {}).items(), *extra.items()]:
            self.names[norm(value)] = kind
        self._seen: dict[str, str] = {}  # the file's own spellings, looked up once

    def known(self, value: str) -> str | None:
        """The kind (or ``ignore``, ``generic``) of a type, None if unknown."""
        found = self._seen.get(value)
        if found is None:
            found = self.names.get(norm(value))
            if found is not None and len(self._seen) < 10_000:
                self._seen[value] = found
        return found

    def kind(self, value: str) -> str:
        found = self.known(value)
        if found is None:
            raise CellError(self.unknown(value))
        return found

    def unknown(self, value: str) -> str:
        return _("unknown activity type (known: %(known)s; %(fix)s or '%(value)s=ignore')") % {
            "known": ", ".join(Activity.Kind.values),
            "fix": self.hints.option("type_map", repr(value + "=call")),
            "value": value,
        }

    def from_subject(self, value: str) -> str | None:
        """A kind named by a subject's first words: ``Email: pricing``, ``Call``."""
        head = value.partition(":")[0] if ":" in value else value
        found = self.known(head) if len(head) <= 40 else None
        return found if found not in (None, GENERIC, IGNORE) else None


# --- flags, probabilities, done or not ------------------------------------------------

_TRUE = {norm(v) for v in ("true", "yes", "y", "1", "x", "checked", "✓", "t", "on", "是")}
_FALSE = {norm(v) for v in ("false", "no", "n", "0", "unchecked", "f", "off", "否")}


def flag(value: str) -> bool:
    """A yes/no column (``true``/``false``, ``Yes``/``No``, ``1``/``0``, as CRMs write it)."""
    key = norm(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("not a yes/no value (use true or false)"))


def probability(value: str, *, percent: bool = False) -> Decimal:
    """A deal's probability as a fraction of 1: ``0.1``, ``10%``, or ``10`` when the column
    counts in percent (``Probability (%)``; any value above 1)."""
    formula_check(value)
    cleaned = value.strip().replace(",", ".")
    is_percent = percent or cleaned.endswith("%")
    try:
        number = Decimal(cleaned.rstrip("%").strip())
    except InvalidOperation:
        raise CellError(_("not a probability (use 0.25 or 25%)")) from None
    if not number.is_finite() or number < 0:
        raise CellError(_("not a probability (use 0.25 or 25%)"))
    if is_percent or number > 1:
        number /= 100
    if number > 1:
        raise CellError(_("a probability above 100 %"))
    return number


# How CRMs say a task, call or meeting was done, or not (yet). A yes/no column ("IsClosed",
# Pipedrive's "Done" as true/false or 1/0) is read by ``flag``.
DONE_WORDS = {norm(v) for v in (
    "completed", "complete", "done", "held", "finished", "closed", "marked as done",
    # a call that rang out was still a call made
    "busy", "no answer", "left voicemail", "left live message", "connected",
)}  # fmt: skip
NOT_DONE_WORDS = {norm(v) for v in (
    "not started", "in progress", "waiting", "waiting on someone else", "deferred",
    "open", "to do", "todo", "pending", "scheduled", "rescheduled", "canceled",
    "cancelled", "no show", "failed", "queued", "ringing", "connecting", "planned",
    "not done", "overdue",
)}  # fmt: skip


def done(value: str) -> bool:
    """Whether an activity's status says it was done (see ``DONE_WORDS``)."""
    key = norm(value)
    if key in DONE_WORDS or key in _TRUE:
        return True
    if key in NOT_DONE_WORDS or key in _FALSE:
        return False
    raise CellError(_("unknown status (done: Completed, Done, true; not done: Not Started, "
                      "In Progress, Scheduled, Canceled, false)"))  # fmt: skip


# --- people --------------------------------------------------------------------------

_EMAIL_INSIDE = re.compile(r"[<(\[]\s*([^<>()\[\]\s]+@[^<>()\[\]\s]+)\s*[>)\]]")
# "lenny@example.com (Deactivated User)", "Jane Doe [inactive]": what CRMs add to a name.
_DECORATION = re.compile(r"\s*[(\[][^()\[\]@]*[)\]]\s*$")


def crm_key(source: str, value: str) -> str:
    """A CRM user id as compared: Salesforce's 18-character ids match their 15-character
    form (the last three characters are a checksum of the case of the first 15)."""
    value = value.strip()
    if source == "salesforce" and len(value) == 18 and value.isalnum():
        return value[:15]
    return value


def undecorated(value: str) -> str:
    """The name or e-mail without what a CRM appends: ``x@y.com (Deactivated User)``."""
    while True:
        stripped = _DECORATION.sub("", value)
        if stripped == value or not stripped:
            return value.strip()
        value = stripped


class People:
    """Finds people by their user id in the import's CRM (``source``), by e-mail (any case,
    decorations such as "(Deactivated User)" ignored), else by full name (any case);
    loaded once per import. Values that match nobody are counted in ``unmatched``."""

    AMBIGUOUS = -1

    def __init__(self, source: str = "", hints: Hints = CLI) -> None:
        self.source, self.hints = source, hints
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.by_crm: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for pk, email, name in Person.objects.values_list("id", "email", "full_name"):
            self.add(pk, email, name)
        if source:
            for pk, crm_id in CrmIdentity.objects.filter(source=source).values_list(
                "person_id", "crm_id"
            ):
                self.add_crm_id(pk, crm_id)
        self._cache: dict[str, int] = {}
        self.unmatched: dict[str, int] = {}  # value → rows

    def add(self, pk: int, email: str, name: str) -> None:
        if email.strip():
            self.by_email[email.strip().casefold()] = pk
        key = " ".join(name.split()).casefold()
        self.by_name[key] = self.AMBIGUOUS if self.by_name.get(key, pk) != pk else pk
        self.names[pk] = name
        self._cache = {}

    def add_crm_id(self, pk: int, crm_id: str) -> None:
        self.by_crm[crm_key(self.source, crm_id)] = pk
        self._cache = {}

    def find(self, value: str) -> int | None:
        """The person's id, ``None`` if nobody matches; ambiguous names raise ``CellError``."""
        found = self._cache.get(value)
        if found is None:
            found = self._lookup(value)
            if len(self._cache) > 50_000:  # a file of ever-new names must not grow memory
                self._cache.clear()
            self._cache[value] = found
        if found == self.AMBIGUOUS:
            raise CellError(_("several people have this name: give their e-mail instead"))
        return found if found else None

    def _lookup(self, value: str) -> int:
        if self.by_crm:
            found = self.by_crm.get(crm_key(self.source, value))
            if found:
                return found
        inside = _EMAIL_INSIDE.search(value)  # "Alice Adams <alice@example.com>"
        if inside:
            return self.by_email.get(inside[1].casefold(), 0)
        value = undecorated(value)
        if "@" in value:
            return self.by_email.get(value.casefold(), 0)
        return self.by_name.get(" ".join(value.split()).casefold(), 0)

    def require(self, value: str) -> int:
        found = self.find(value)
        if found is None:
            if len(self.unmatched) < 10_000 or value in self.unmatched:
                self.unmatched[value] = self.unmatched.get(value, 0) + 1
            if self.by_crm:
                raise CellError(_("unknown person: no one has this user id, e-mail or full name"))
            raise CellError(_("unknown person: no one has this e-mail or full name"))
        return found

    def closest(self, value: str, n: int = 3) -> list[str]:
        """The known names (and e-mails) closest to ``value``, for "did you mean"."""
        value = undecorated(value)
        pool = list(self.by_email) if "@" in value else list(self.by_name)
        found = difflib.get_close_matches(value.casefold(), pool, n=n, cutoff=0.6)
        if "@" in value:
            return found
        shown = {" ".join(name.split()).casefold(): name for name in self.names.values()}
        return [shown.get(key, key) for key in found]
