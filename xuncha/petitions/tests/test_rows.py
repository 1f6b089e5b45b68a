"""The hot-path INSERT writes the same row the ORM would."""

import pytest
from django.utils import timezone

from xuncha.core.rows import insert_row


def test_insert_row_fills_defaults_and_times_like_save(team_world):
    from xuncha.petitions.models import Petition

    now = timezone.now()
    row = insert_row(
        Petition,
        assignment_id=team_world["assignment"].pk,
        channel="qr",
        sealed_content=b"\x01\x02sealed",
        received_at=now,
        receipt_hash="ab" * 32,
    )
    stored = Petition.objects.get(pk=row.pk)
    assert stored.status == "received" and stored.anonymous is True and stored.exported_in == ""
    assert bytes(stored.sealed_content) == b"\x01\x02sealed" and stored.received_at == now
    assert stored.created_at is not None and stored.created_at == row.created_at
    assert stored.sign_due is None and stored.created_by_id is None
    # The returned instance is the saved row: it updates, it does not insert again.
    row.status = "under_review"
    row.save(update_fields=["status"])
    assert Petition.objects.get().status == "under_review"
    with pytest.raises(TypeError, match="has no fields"):
        insert_row(Petition, assignment_id=row.assignment_id, nonsense=1)


def test_constant_defaults_are_written_into_the_statement_and_only_what_varies_is_bound(team_world):
    from xuncha.core.rows import _statement
    from xuncha.petitions.models import Petition

    given = frozenset({"assignment_id", "channel", "sealed_content", "received_at", "receipt_hash"})
    statement = _statement(Petition, given)
    bound = {field.attname for field, _ in statement.bound}
    assert given <= bound and {"created_at", "updated_at"} <= bound  # the caller's values and the times
    assert "status" not in bound and "'received'" in statement.sql  # a constant default, in the statement
    assert statement.sql.count("%s") == len(statement.bound)
