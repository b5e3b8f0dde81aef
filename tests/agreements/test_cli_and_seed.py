"""`flask verify-audit` re-hashes versions and signatures; the demo seed builds Riverside's agreement."""

from __future__ import annotations

from sqlalchemy import func, select, text

from collab.agreements import services
from collab.agreements.models import Agreement, ResponseKind
from collab.alliances.models import Alliance
from collab.db import db
from collab.demo import seed_demo
from collab.documents.models import Comment
from tests.agreements.helpers import make_cast, publish_and_sign_all, start
from tests.databases import allow_tampering


def test_verify_audit_reports_tampered_text_and_signatures(app, session):
    cast = make_cast(name="Tamper Test Alliance")
    version = publish_and_sign_all(cast, start(cast))
    session.flush()
    version_id, signature_id, signer = version.id, version.signatures[0].id, version.signatures[0].organisation_name
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["verify-audit"])
    assert clean.exit_code == 0, clean.output
    session.execute(text("UPDATE agreement_version_clause SET body = 'We agree to nothing.' WHERE version_id = :id AND number = 2"), {"id": version_id})
    allow_tampering(session)
    session.execute(text("UPDATE signature SET typed_name = 'Someone Else' WHERE id = :id"), {"id": signature_id})
    tampered = runner.invoke(args=["verify-audit"])
    assert tampered.exit_code == 1
    assert "FAILED: Tamper Test Alliance agreement version 1: the stored clauses no longer match the published text" in tampered.output
    assert f"signature of {signer}: the signature record was changed after it was made" in tampered.output


def test_demo_seed_gives_riverside_a_realistic_agreement(app, session):
    with app.test_request_context():
        if session.scalar(select(Alliance.id).where(Alliance.name == "Riverside Living Well Alliance")) is None:
            assert seed_demo(session)
        assert not seed_demo(session)  # idempotent
    alliance = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    agreement = session.scalar(select(Agreement).where(Agreement.alliance_id == alliance.id))
    assert session.scalar(select(func.count(Agreement.id)).where(Agreement.alliance_id == alliance.id)) == 1
    v1 = services.version_in_force(session, agreement)
    assert v1.number == 1 and services.signature_status(session, v1).complete
    assert len(v1.signatures) == 7 and services.verify_version(session, v1).ok
    assert services.latest_version(session, agreement).number == 1 and agreement.drafting  # version 2 is a draft
    open_proposals = services.proposals(session, agreement, open_only=True)
    assert len(open_proposals) == 1
    state = services.consent_state(session, open_proposals[0])
    assert [r.response for r in state.objections] == [ResponseKind.OBJECT] and state.waiting
    assert session.scalar(select(func.count(Comment.id)).join(Comment.thread).where(
        Comment.thread.has(alliance_id=alliance.id))) >= 4
    db.session.rollback()
