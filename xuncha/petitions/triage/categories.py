"""Triage suggestions (domain.md §5.2–§5.5): six-discipline category and near-duplicates (the roster
scope check is `scope.py`).

Suggestions are only suggestions: they are computed when staff look at a petition and never stored
as decisions. Staff decide (services.petition_dispose), every decision is audit-logged, and each
category decision teaches the classifier.
"""

import hashlib
import hmac
import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import jieba
import numpy as np
from django.db import connection
from django.db.models import F

from xuncha.core.codetables import code_items
from xuncha.core.sealing import feature_key
from xuncha.petitions.models import CategoryFeature, Petition, PetitionBand, PetitionBandCount, PetitionSignature
from xuncha.petitions.triage import dedup
from xuncha.petitions.triage.lexicon import TERMS, lexicon_hits
from xuncha.petitions.triage.matters import index_matters, matter_duplicates
from xuncha.petitions.triage.scope import ScopeMatch
from xuncha.petitions.triage.search import index_terms

jieba.setLogLevel(logging.WARNING)

for term in TERMS:
    jieba.add_word(term)
# The learned part's weight against the lexicon's (a term of weight 3 names the offence).
LEARNED_WEIGHT = 3.0


def tokens(text: str) -> list[str]:
    return [t for t in jieba.lcut(text) if len(t.strip()) > 1]


def _feature(token: str) -> str:
    return hmac.new(feature_key(), token.encode(), hashlib.sha256).hexdigest()[:32]


def _text(content: dict[str, str]) -> str:
    return " ".join(content.get(k, "") for k in ("what", "subject_position", "where"))


@dataclass(frozen=True)
class CategoryScore:
    """A discipline's score for a text, and why: the lexicon's terms found, and what was learned."""

    code: str
    score: float
    terms: tuple[str, ...] = ()
    learned: float = 0.0

    @property
    def reason(self) -> str:
        said = []
        if self.terms:
            said.append("命中用语：" + "、".join(f"“{t}”" for t in self.terms))
        if self.learned > 0.05:
            said.append("与此前定为该类的信访用语相近")
        return "；".join(said) or "无明显用语，按已学习的定性排序"


def category_explained(content: dict[str, str]) -> list[CategoryScore]:
    """Every discipline, best first: the weighted lexicon terms of the text (lexicon.py) plus a naive Bayes
    term learned from staff decisions, centred on the mean so that it moves the order only where it knows
    something."""
    text = _text(content)
    hits = lexicon_hits(text)
    features = {_feature(w) for w in tokens(text)}
    learned: dict[str, dict[str, int]] = {}
    for category, feature, count in CategoryFeature.objects.filter(feature__in=features).values_list(
        "category", "feature", "count"
    ):
        learned.setdefault(category, {})[feature] = count
    totals = Counter(dict(CategoryFeature.objects.filter(feature="__docs__").values_list("category", "count")))
    all_docs = sum(totals.values())
    codes = list(code_items("six_disciplines").values_list("code", "label"))
    bayes: dict[str, float] = {}
    if all_docs and features:
        for code, _label in codes:
            counts = learned.get(code, {})
            prior = math.log((totals[code] + 1) / (all_docs + len(codes)))
            likelihood = sum(math.log((counts.get(f, 0) + 1) / (totals[code] + 2)) for f in features)
            bayes[code] = prior + likelihood / len(features)
    mean = sum(bayes.values()) / len(bayes) if bayes else 0.0
    scores = []
    for code, _label in codes:
        found = hits.get(code, {})
        nudge = LEARNED_WEIGHT * (bayes[code] - mean) if bayes else 0.0
        ordered = tuple(sorted(found, key=lambda t: (-found[t], text.find(t))))
        scores.append(CategoryScore(code, round(sum(found.values()) + nudge, 3), ordered, round(nudge, 3)))
    return sorted(scores, key=lambda s: -s.score)


def category_scores(content: dict[str, str]) -> list[tuple[str, float]]:
    """Scores per discipline, best first (see `category_explained`)."""
    return [(s.code, s.score) for s in category_explained(content)]


def category_suggestions(content: dict[str, str], scores: list[tuple[str, float]] | None = None) -> list[str]:
    """Up to three disciplines proposed to staff, best first: those the lexicon or the learned decisions
    point at; none when nothing points anywhere."""
    ranked = scores if scores is not None else category_scores(content)
    return [code for code, score in ranked[:3] if score > 0]


def suggest_category(content: dict[str, str], scores: list[tuple[str, float]] | None = None) -> str:
    """The discipline preselected on the page and recorded with the decision, or ""."""
    return next(iter(category_suggestions(content, scores)), "")


def learn_category(content: dict[str, str], category: str) -> None:
    """A staff decision teaches the classifier (hashed words only: nothing readable is stored).

    Two statements whatever the length of the text, both safe when decisions run at the same time: the
    missing rows are inserted with count 0 (a row another decision inserts meanwhile is left alone), then
    every count is raised by one in the database (`count = count + 1`, never a value read before).
    Rows are taken in one order, so two decisions cannot wait on each other."""
    text = _text(content)
    features = sorted({_feature(w) for w in tokens(text)} | {"__docs__"})
    CategoryFeature.objects.bulk_create(
        [CategoryFeature(category=category, feature=f, count=0) for f in features], ignore_conflicts=True
    )
    CategoryFeature.objects.filter(category=category, feature__in=features).update(count=F("count") + 1)


@cache
def _hasher(key: bytes) -> dedup.Hasher:
    return dedup.Hasher.from_key(key)


def hasher() -> dedup.Hasher:
    return _hasher(feature_key())


def index_petition(petition: Petition, content: dict[str, str]) -> None:
    """Store the petition's search terms, signature and LSH bands, and count its buckets (internal side only)."""
    index_terms(petition, content)
    index_matters(petition, content)
    signature = hasher().signature(dedup.shingles(content.get("what", "")))
    bands = hasher().bands(signature)
    PetitionSignature.objects.update_or_create(petition=petition, defaults={"minhash": signature.tobytes()})
    if PetitionBand.objects.filter(petition=petition).exists():
        return
    PetitionBand.objects.bulk_create(
        PetitionBand(
            petition=petition, assignment_id=petition.assignment_id, received_at=petition.received_at, band=i, value=v
        )
        for i, v in enumerate(bands)
    )
    table = PetitionBandCount._meta.db_table
    rows = ", ".join(["(%s, %s, 1)"] * len(bands))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (band, value, count) VALUES {rows} "  # noqa: S608 - the table name is the model's
            f"ON CONFLICT (band, value) DO UPDATE SET count = {table}.count + 1",
            [x for i, v in enumerate(bands) for x in (i, v)],
        )


@dataclass(frozen=True)
class Duplicate:
    petition: Petition
    similarity: float
    reason: str = ""  # why it is proposed, in words for the team


def near_duplicates(
    petition: Petition, content: dict[str, str], limit: int = 5, scope: list[ScopeMatch] | None = None
) -> list[Duplicate]:
    """Earlier petitions of the same assignment that say nearly the same thing (the texts' character pairs)
    or the same matter about the same person (`matters.py`: paraphrases sharing few words), with why.

    `scope`: the scope matches already computed for the page (else resolved here)."""
    textual = _similar_texts(petition, content, limit)
    review = matter_duplicates(petition, content, scope, [d.petition.pk for d in textual])
    by_matter = review.matches
    # Alike in wording but about someone else (同类事项、不同的人): not the same matter.
    found = {d.petition.pk: d for d in textual if d.petition.pk not in review.about_others}
    opened = {
        p.pk: p
        for p in Petition.objects.filter(pk__in=[m.petition_id for m in by_matter if m.petition_id not in found])
    }
    for match in by_matter:
        known = found.get(match.petition_id)
        if known:
            found[match.petition_id] = Duplicate(
                known.petition, max(known.similarity, match.similarity), f"{known.reason}；{match.reason}"
            )
        elif match.petition_id in opened:
            found[match.petition_id] = Duplicate(opened[match.petition_id], match.similarity, match.reason)
    return sorted(found.values(), key=lambda d: (-d.similarity, d.petition.received_at))[:limit]


def _similar_texts(petition: Petition, content: dict[str, str], limit: int) -> list[Duplicate]:
    """The MinHash path: the signatures compared come in one statement (`_comparable`); the most likely few
    are opened to compute the exact similarity of the texts."""
    grams = dedup.shingles(content.get("what", ""))
    signature = hasher().signature(grams)
    rows = _comparable(petition, signature)
    if not rows:
        return []
    stored = np.frombuffer(b"".join(bytes(m) for _, m in rows), dtype=np.uint32).reshape(len(rows), -1)
    estimated = (stored == signature).mean(axis=1)
    # The estimate's error is about ±0.08 at 128 values: those above the threshold minus that are likely.
    order = np.argsort(-estimated, kind="stable")[: limit * 2]
    likely = {rows[i][0]: float(estimated[i]) for i in order if estimated[i] >= dedup.THRESHOLD - 0.08}
    found = []
    for other in Petition.objects.filter(pk__in=list(likely)).only("pk", "received_at", "sealed_content"):
        exact = dedup.jaccard(grams, dedup.shingles(other.sealed_content.open().get("what", "")))
        if exact >= dedup.THRESHOLD:
            found.append(Duplicate(other, round(exact, 2), f"文字高度相似（字词重合度 {exact:.2f}）"))
    return sorted(found, key=lambda d: (-d.similarity, d.petition.received_at))[:limit]


def _comparable(petition: Petition, signature: np.ndarray) -> list[tuple[int, bytes]]:
    """(petition id, signature) of the earlier petitions of the assignment worth comparing.

    While the assignment holds at most `FULL_SCAN` petitions (an inspection's two months rarely bring
    more), all of them: recall then depends only on the signature estimate. Beyond that, those sharing
    at least `MIN_BANDS` LSH bands, most shared first, read from the covering band index of the
    assignment in one hand-written statement (hot path). Buckets holding more than `HOT_BUCKET`
    petitions are boilerplate wording (shared openings, closings) and say nothing."""
    petitions, signatures = Petition._meta.db_table, PetitionSignature._meta.db_table
    bands_table, counts = PetitionBand._meta.db_table, PetitionBandCount._meta.db_table
    received = connection.ops.adapt_datetimefield_value(petition.received_at)
    own = (petition.assignment_id, received, petition.pk or 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {petitions} WHERE assignment_id = %s LIMIT %s) t",  # noqa: S608
            [petition.assignment_id, dedup.FULL_SCAN + 1],
        )
        if cursor.fetchone()[0] <= dedup.FULL_SCAN:
            cursor.execute(
                f"SELECT s.petition_id, s.minhash FROM {petitions} p JOIN {signatures} s ON s.petition_id = p.id "  # noqa: S608
                "WHERE p.assignment_id = %s AND p.received_at <= %s AND p.id <> %s",
                own,
            )
            return list(cursor.fetchall())
        bands = list(enumerate(hasher().bands(signature)))
        if connection.vendor == "postgresql":  # two array parameters: one short statement, prepared once
            probe = "SELECT * FROM unnest(%s::int[], %s::bigint[])"
            probe_params: list[Any] = [[b for b, _ in bands], [v for _, v in bands]]
        else:
            probe = "VALUES " + ", ".join(["(%s, %s)"] * len(bands))
            probe_params = [x for pair in bands for x in pair]
        cursor.execute(
            f"WITH probe (band, value) AS ({probe}), "  # noqa: S608 - the table names are the models'
            f"cold AS (SELECT p.band, p.value FROM probe p WHERE NOT EXISTS ("
            f"SELECT 1 FROM {counts} c WHERE c.band = p.band AND c.value = p.value AND c.count > %s)), "
            f"candidates AS (SELECT b.petition_id FROM cold JOIN {bands_table} b "
            "ON b.assignment_id = %s AND b.band = cold.band AND b.value = cold.value "
            "WHERE b.received_at <= %s AND b.petition_id <> %s "
            "GROUP BY b.petition_id HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC LIMIT %s) "
            f"SELECT s.petition_id, s.minhash FROM candidates c JOIN {signatures} s ON s.petition_id = c.petition_id",
            [*probe_params, dedup.HOT_BUCKET, *own, dedup.MIN_BANDS, dedup.MAX_CANDIDATES],
        )
        return list(cursor.fetchall())
