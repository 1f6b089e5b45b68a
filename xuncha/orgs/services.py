"""Writes of the organisation registry."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import Committee
from xuncha.orgs.models import Organization, Person, Position, Relationship
from xuncha.orgs.permissions import person_write_check, registry_write_check


def _subtree_paths(org: Organization) -> None:
    """Recompute the materialised path of `org` and everything below it."""
    org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    for child in org.children.all():
        _subtree_paths(child)


@transaction.atomic
def organization_save(
    *,
    actor: Actor,
    org_code: str,
    name: str,
    level: str,
    party_org_type: str,
    managed_by: Committee,
    parent: Organization | None = None,
    short_name: str = "",
    sector_tags: list[str] | None = None,
    audit: bool = True,
) -> tuple[Organization, str]:
    """Create or update the organisation with `org_code`; returns it and "created", "updated" or "unchanged"."""
    registry_write_check(actor, managed_by)
    existing = Organization.objects.select_for_update().filter(org_code=org_code).first()
    if existing is not None:
        registry_write_check(actor, existing.managed_by)
    if parent is not None and existing is not None and parent.path.startswith(existing.path):
        raise ValidationError(f"“{name}”不能以自身或其下级单位作为上级单位。")
    fields = {
        "name": name,
        "short_name": short_name,
        "level": level,
        "party_org_type": party_org_type,
        "managed_by": managed_by,
        "parent": parent,
        "sector_tags": sorted(sector_tags or []),
    }
    if existing is None:
        org = Organization(org_code=org_code, created_by=account_of(actor), **fields)
        org.full_clean(exclude=["path"])
        org.save()
        _subtree_paths(org)
        outcome = "created"
    else:
        org = existing
        changed = [k for k, v in fields.items() if getattr(org, k) != v]
        if not changed:
            return org, "unchanged"
        for k in changed:
            setattr(org, k, fields[k])
        org.full_clean(exclude=["path"])
        org.save()
        if "parent" in changed:
            _subtree_paths(org)
        outcome = "updated"
    if audit:
        audit_record(
            action=f"orgs.organization_{outcome}",
            actor=actor,
            target=org,
            committee_id=managed_by.pk,
            summary=f"{'登记' if outcome == 'created' else '修改'}单位“{name}”",
        )
    return org, outcome


@transaction.atomic
def person_save(
    *,
    actor: Actor,
    person_code: str,
    name: str,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str = "",
    political_status: str = "",
) -> tuple[Person, str]:
    """Create or update the person with `person_code`."""
    existing = Person.objects.filter(person_code=person_code).first()
    person_write_check(actor, *([existing] if existing else []))
    fields = {
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "ethnicity": ethnicity,
        "political_status": political_status,
    }
    person = Person.objects.select_for_update().filter(person_code=person_code).first()
    if person is None:
        person = Person(person_code=person_code, created_by=account_of(actor), **fields)
        person.full_clean()
        person.save()
        return person, "created"
    changed = [k for k, v in fields.items() if v not in ("", None) and getattr(person, k) != v]
    if not changed:
        return person, "unchanged"
    for k in changed:
        setattr(person, k, fields[k])
    person.full_clean()
    person.save()
    return person, "updated"


@transaction.atomic
def position_save(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    title: str,
    post_kind: str,
    start_date: date,
    end_date: date | None = None,
    rank: str = "",
) -> tuple[Position, str]:
    """Record a post; the same person, unit, title and start date identify it."""
    registry_write_check(actor, organization.managed_by)
    if end_date is not None and end_date < start_date:
        raise ValidationError("任职结束日期不能早于开始日期。")
    position = Position.objects.filter(
        person=person, organization=organization, title=title, start_date=start_date
    ).first()
    if position is None:
        position = Position.objects.create(
            person=person,
            organization=organization,
            title=title,
            post_kind=post_kind,
            start_date=start_date,
            end_date=end_date,
            rank=rank,
            created_by=account_of(actor),
        )
        return position, "created"
    changed = {
        k: v
        for k, v in {"post_kind": post_kind, "end_date": end_date, "rank": rank}.items()
        if getattr(position, k) != v
    }
    if not changed:
        return position, "unchanged"
    for k, v in changed.items():
        setattr(position, k, v)
    position.save()
    return position, "updated"


@transaction.atomic
def relationship_add(
    *,
    actor: Actor,
    person_a: Person,
    person_b: Person,
    kind: str,
    source: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
) -> Relationship:
    """Record a relation between two people (used by recusal checks)."""
    person_write_check(actor, person_a, person_b)
    if person_a.pk == person_b.pk:
        raise ValidationError("关系的双方不能是同一人。")
    if Relationship.objects.filter(person_a=person_a, person_b=person_b, kind=kind).exists():
        raise ValidationError("该关系已登记。")
    rel = Relationship(
        person_a=person_a,
        person_b=person_b,
        kind=kind,
        source=source,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        created_by=account_of(actor),
    )
    rel.full_clean()
    rel.save()
    audit_record(
        action="orgs.relationship_add",
        actor=actor,
        target=rel,
        summary=f"登记人员关系：{person_a.person_code}—{person_b.person_code}",
        data={"kind": kind},
    )
    return rel
