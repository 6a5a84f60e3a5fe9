"""What a search asks for: the filters, the order, the page, and the words parsed out of it.

Pure data and parsing; the SQL lives in ``backend`` and ``engine``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from docgen.errors import RuleError
from docgen.models import DocumentStatus
from docgen.rules.text import fold, fold_tokens, nfc

MAX_PER_PAGE = 100
# Matches are counted (and facets made) up to this many; beyond it the page says "hơn 10.000".
COUNT_CAP = 10_000
_PHRASE = re.compile(r'"([^"]*)"')
# PostgreSQL's extra lexemes (issue 11, migration 0013): "a~b" for each adjacent word pair
# of a column, "h~w" for each word of the trích yếu or số, ký hiệu. A word never holds "~".
PAIR, HEADLINE = "~", "h~"
# Longest word a query asks for (and PostgreSQL's pair lexemes hold): far below its 2,047-byte
# lexeme limit even for pairs of three-byte letters.
MAX_WORD = 200


class Order(StrEnum):
    NEWEST = "newest"  # mới nhất trước: issue order, the ids' order
    OLDEST = "oldest"
    RELEVANCE = "relevance"

    @property
    def label(self) -> str:
        return {"newest": "Mới nhất", "oldest": "Cũ nhất", "relevance": "Phù hợp nhất"}[self]


@dataclass(frozen=True)
class SearchQuery:
    """Filters of an archive search; every one is optional."""

    q: str | None = None  # words; "quoted words" form a phrase
    number: str | None = None  # "05/KH-UBND", "05", "KH-UBND" or "QĐ"
    year: int | None = None
    doctype: str | None = None  # slug or abbreviation: "ke-hoach", "KH"
    issuer: str | None = None  # code, or part of the name
    unit: str | None = None  # drafting unit: "VHXH"
    signer: str | None = None  # code, or part of the name
    date_from: date | None = None
    date_to: date | None = None
    recipient: str | None = None  # part of a recipient's name
    status: DocumentStatus | None = None
    order: Order = Order.NEWEST
    page: int = 1
    per_page: int = 20
    after: int | None = None  # keyset: the id of the previous page's last document


def parse_terms(q: str) -> list[list[str]]:
    """Return the query's terms: each a list of folded words (more than one = a phrase).

    A "word" longer than ``MAX_WORD`` letters is no word anyone searches for; it is left
    out on both engines alike (PostgreSQL could not hold its lexemes).
    """
    terms = [_words(p) for p in _PHRASE.findall(q)]
    terms += [[word] for word in _words(_PHRASE.sub(" ", q))]
    return [t for t in terms if t]


def _words(text: str) -> list[str]:
    return [w for w in fold_tokens(text) if len(w) <= MAX_WORD]


def word_pairs(words: list[str]) -> list[str]:
    """Return the pair lexemes of adjacent ``words`` ("phu~quoc")."""
    return [f"{a}{PAIR}{b}" for a, b in itertools.pairwise(words)]


def fts5_expression(terms: list[list[str]], columns: tuple[str, ...] = ()) -> str:
    """Return the FTS5 MATCH text: every term must occur; phrases in order.

    With ``columns`` every term must occur within those columns (a column filter).
    """
    expression = " ".join('"' + " ".join(t) + '"' for t in terms)
    return "{" + " ".join(columns) + "} : (" + expression + ")" if columns else expression


def _quoted(lexeme: str, weight: str = "") -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" + weight


def _phrase(words: list[str], weight: str = "") -> str:
    return "(" + " <-> ".join(_quoted(w, weight) for w in words) + ")"


def tsquery_parts(
    terms: list[list[str]],
    headline: bool = False,
    pick: Callable[[list[str]], list[str]] | None = None,
) -> tuple[str, str]:
    """Return the PostgreSQL tsqueries equivalent to ``fts5_expression``: (over
    ``document_search.tsv``, over ``document_search_pair.lexemes``); "" = no condition.

    A word is looked up in the words' tsvector; a phrase by its word-pair lexemes
    ("phu~quoc", ``extra_lexemes``), which the GIN index answers exactly: a two-word
    phrase is its pair, a longer one is then checked in order with ``<->``. ``headline``:
    every term within the trích yếu or số, ký hiệu, as FTS5's column filter does: the
    headline lexemes ("h~word", "h~a~b"), a longer phrase at weight A. Lexemes are
    quoted: the folded words are taken as indexed. ``pick``: which of a longer phrase's
    pairs to ask for (any subset, none included, is exact: the order check follows);
    default all.
    """
    words: list[str] = []
    lexemes: list[str] = []
    for term in terms:
        pairs = word_pairs(term)
        if len(pairs) > 1 and pick is not None:
            pairs = pick(pairs)
        if len(term) == 1:
            lexemes += [HEADLINE + term[0]] if headline else []
            words += [] if headline else [_quoted(term[0])]
        else:
            lexemes += [HEADLINE + p for p in pairs] if headline else pairs
        if len(term) > 2:
            words.append(_phrase(term, ":A" if headline else ""))
    return " & ".join(words), " & ".join(_quoted(x) for x in dict.fromkeys(lexemes))


def weighted_headline(terms: list[list[str]]) -> str:
    """Return the tsquery "every term at weight A" over the words' tsvector alone."""
    return " & ".join(_phrase(t, ":A") for t in terms)


def parse_number(value: str) -> tuple[int | None, str | None]:
    """Return (number, folded symbol) from "05/KH-UBND", "05", "KH-UBND" or "QĐ"."""
    value = nfc(value).strip().removeprefix("Số:").strip()
    if "/" in value:
        raw_number, _, symbol = value.partition("/")
    elif value.isdigit():
        raw_number, symbol = value, ""
    else:
        raw_number, symbol = "", value
    number = None
    if raw_number:
        if not raw_number.strip().isdigit():
            raise RuleError(f"Số văn bản “{value}” không hợp lệ.", code="invalid_number")
        number = int(raw_number)
    return number, fold(symbol) if symbol.strip() else None


def check_page(query: SearchQuery) -> None:
    """Refuse a page or page size out of bounds, with a message for people."""
    if query.page < 1 or not 1 <= query.per_page <= MAX_PER_PAGE:
        raise RuleError(
            f"Trang phải từ 1 trở lên, mỗi trang từ 1 đến {MAX_PER_PAGE} văn bản.",
            code="invalid_page",
        )
    if query.after is not None and query.order is Order.RELEVANCE:
        raise RuleError(
            "Phân trang tiếp theo (after) chỉ dùng với thứ tự mới nhất hoặc cũ nhất.",
            code="invalid_page",
        )
