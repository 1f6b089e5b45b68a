"""The blind search index over sealed petition text (ADR 0019).

A petition's opened text is cut into terms — each pair of adjacent Chinese characters (a lone
character where a run has only one), and each word of Latin letters or digits — and each term is
stored only as a keyed hash: HMAC-SHA256 under the feature key, the first 8 bytes as a signed
integer. Without the key a stored hash confirms no guess; the feature key is pinned apart from the
sealing keyring (ADR 0009), so rotating the sealing keys leaves the index valid. A search hashes the
query's terms the same way and keeps the petitions that hold every one of them, inside the scoped
queryset of the list, in SQL: nothing is decrypted to search. A match means every pair of the query
occurs somewhere in the text, not necessarily adjacent; the page shows the summary to judge by.
"""

import hashlib
import hmac
import re

from django.db import transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from xuncha.core.sealing import feature_key
from xuncha.petitions.models import Petition, PetitionTerm

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
_NUMBER = re.compile(r"^(\d{4})-(\d+)$")


def terms(text: str) -> set[str]:
    """The terms of a text: Chinese character pairs (a lone character alone) and Latin/digit words."""
    found: set[str] = set()
    for run in _CJK.findall(text):
        if len(run) == 1:
            found.add(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(w.lower() for w in _WORD.findall(text))
    return found


def term_hash(term: str, key: bytes | None = None) -> int:
    digest = hmac.new(key or feature_key(), b"search\x00" + term.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def content_text(content: dict[str, str]) -> str:
    return " ".join(str(v) for v in content.values() if v)


@transaction.atomic
def index_terms(petition: Petition, content: dict[str, str]) -> None:
    """(Re)write the petition's search terms from its opened content (internal side only)."""
    key = feature_key()
    hashes = {term_hash(t, key) for t in terms(content_text(content))}
    PetitionTerm.objects.filter(petition=petition).delete()
    PetitionTerm.objects.bulk_create(PetitionTerm(petition=petition, term=h) for h in sorted(hashes))


# A term with more petitions than this is common: the newest petitions are walked in queue order and
# each is checked for the query's terms (a page of a common phrase is found among its first rows);
# below it, the rarest term's petitions are joined (a rare word's few petitions are found directly).
COMMON_TERM = 5000


def _postings(h: int) -> int:
    """How many petitions hold the term, counted up to COMMON_TERM + 1 (an index-only range)."""
    return PetitionTerm.objects.filter(term=h).order_by()[: COMMON_TERM + 1].count()


def search_filter(qs: QuerySet[Petition], query: str) -> QuerySet[Petition]:
    """The petitions of `qs` whose text holds every term of the query, or whose number it is."""
    needle = query.strip()
    number = _NUMBER.match(needle)
    if number:
        by_number = qs.filter(pk=int(number.group(2)), received_at__year=int(number.group(1)))
        if by_number.exists():
            return by_number
    wanted = terms(needle)
    if not wanted:
        return qs.none()
    key = feature_key()
    hashes = sorted({term_hash(t, key) for t in wanted})
    if min(_postings(h) for h in hashes) > COMMON_TERM:
        # OFFSET 0 keeps each check a per-row probe: flattened into a join, the planner (which cannot know
        # how the terms co-occur) would gather every match before taking the newest.
        petitions, table = Petition._meta.db_table, PetitionTerm._meta.db_table
        check = f"EXISTS (SELECT 1 FROM {table} t WHERE t.petition_id = {petitions}.id AND t.term = %s OFFSET 0)"  # noqa: S608 - the models' tables
        for h in hashes:
            qs = qs.filter(RawSQL(check, [h], output_field=BooleanField()))  # noqa: S611 - the term is a parameter
        return qs
    for h in hashes:
        qs = qs.filter(pk__in=PetitionTerm.objects.filter(term=h).values("petition_id"))
    return qs


def search_index_rebuild(*, batch: int = 500) -> int:
    """Rewrite every petition's search terms from its opened content (after the feature key changed, or for
    petitions stored before the index existed); returns how many were indexed. Needs the private key."""
    done = 0
    last = 0
    while True:
        chunk = list(Petition.objects.filter(pk__gt=last).order_by("pk").only("pk", "sealed_content")[:batch])
        if not chunk:
            return done
        for petition in chunk:
            index_terms(petition, petition.sealed_content.open())
        done += len(chunk)
        last = chunk[-1].pk
