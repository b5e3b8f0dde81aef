"""Verification: re-hashing versions and signatures against the audit trail, finding a version
by its hash or public id, checking an uploaded file, and recording exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements.models import Agreement, AgreementVersion, Signature

# Verification -----------------------------------------------------------------------------
from collab.agreements.services.versions import frozen_text
from collab.audit import AuditEntry
from collab.documents.canonical import clean_sha256, sha256_hex
from collab.errors import DomainError


@dataclass
class SignatureCheck:
    signature: Signature
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def legacy(self) -> bool:
        """Made before signature hashes were keyed: checked the older, weaker way."""
        return self.signature.is_legacy


@dataclass
class VersionCheck:
    version: AgreementVersion
    problems: list[str]
    signatures: list[SignatureCheck]

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.ok for s in self.signatures)

    @property
    def all_problems(self) -> list[str]:
        found = list(self.problems)
        for check in self.signatures:
            found.extend(f"signature of {check.signature.organisation_name}: {p}" for p in check.problems)
        return found


def verify_version(session: Session, version: AgreementVersion, published_hashes: dict[int, str] | None = None) -> VersionCheck:
    """Re-hash the stored text and every signature; anything that does not match is a problem."""
    problems: list[str] = []
    if sha256_hex(version.canonical_text) != version.sha256:
        problems.append("the stored text no longer matches the published SHA-256")
    if frozen_text(version) != version.canonical_text:
        problems.append("the stored clauses no longer match the published text")
    if published_hashes is None:
        published_hashes = publication_hashes(session, [version.id])
    recorded = published_hashes.get(version.id)
    if recorded is None:
        problems.append("the audit trail has no record of this version being published")
    elif recorded != version.sha256:
        problems.append("the SHA-256 differs from the one recorded in the audit trail when it was published")
    if version.audit_head:
        head = audit.parse_head(version.audit_head)
        stored = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == head[0])) if head else None
        if head is None or stored != head[1]:
            problems.append("the audit trail no longer holds the entry recorded when this version was published")
    entries = signing_entries(session, version)
    checks = []
    for signature in version.signatures:
        sig_problems = []
        if signature.compute_hash() != signature.record_hash:
            sig_problems.append("the signature record was changed after it was made")
        if signature.version_sha256 != version.sha256:
            sig_problems.append("it was made for a different SHA-256")
        entry = entries.pop(signature.id, None)
        if entry is None:
            sig_problems.append("the audit trail has no record of this signature")
        elif entry.get("record_hash") != signature.record_hash:
            sig_problems.append("it differs from the signature recorded in the audit trail")
        checks.append(SignatureCheck(signature, sig_problems))
    for detail in entries.values():
        problems.append(
            f"the audit trail records a signature for {detail.get('organisation', 'an organisation')} "
            "that is no longer stored"
        )
    return VersionCheck(version, problems, checks)


def signing_entries(session: Session, version: AgreementVersion) -> dict[int, dict[str, Any]]:
    """Signature id -> the detail the audit trail recorded when this version was signed."""
    rows = session.execute(
        select(AuditEntry.subject_id, AuditEntry.detail).where(
            AuditEntry.action == "agreement.signed",
            AuditEntry.subject_type == "signature",
            AuditEntry.alliance_id == version.agreement.alliance_id,
        )
    )
    found: dict[int, dict[str, Any]] = {}
    for subject_id, detail in rows:
        detail = detail or {}
        same = detail.get("version_id") == version.id if "version_id" in detail else detail.get("number") == version.number
        if same and subject_id is not None:
            found[subject_id] = detail
    return found


def publication_hashes(session: Session, version_ids: list[int]) -> dict[int, str]:
    """The SHA-256 recorded in the audit trail for each version's publication."""
    if not version_ids:
        return {}
    rows = session.execute(
        select(AuditEntry.subject_id, AuditEntry.detail).where(
            AuditEntry.action == "agreement.published",
            AuditEntry.subject_type == "agreementversion",
            AuditEntry.subject_id.in_(version_ids),
        )
    )
    return {subject_id: (detail or {}).get("sha256", "") for subject_id, detail in rows}


def verify_all(session: Session) -> list[str]:
    """Problems with any published version or signature (for flask verify-audit)."""
    found: list[str] = []
    last_id = 0
    while True:
        batch = session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.id > last_id)
            .options(
                selectinload(AgreementVersion.clauses),
                selectinload(AgreementVersion.signatures),
                selectinload(AgreementVersion.agreement).selectinload(Agreement.alliance),
            )
            .order_by(AgreementVersion.id)
            .limit(200)
        ).all()
        if not batch:
            return found
        hashes = publication_hashes(session, [v.id for v in batch])
        for version in batch:
            check = verify_version(session, version, hashes)
            where = f"{version.agreement.alliance.name} agreement version {version.number}"
            found.extend(f"{where}: {problem}" for problem in check.all_problems)
            last_id = version.id


def find_by_hash(session: Session, sha256: str) -> list[AgreementVersion]:
    """Published versions with this SHA-256, with their clauses and signatures."""
    return list(
        session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.sha256 == sha256)
            .options(selectinload(AgreementVersion.signatures), selectinload(AgreementVersion.clauses))
        )
    )


def record_export(session: Session, actor: User | None, version: AgreementVersion, fmt: str) -> None:
    """Record in the audit trail that someone downloaded the version (markdown or pdf)."""
    audit.record(
        session, actor, "agreement.exported", version, alliance=version.agreement.alliance,
        label=f"Version {version.number}", detail={"number": version.number, "format": fmt},
    )


def find_version_by_public_id(session: Session, public_id: str) -> AgreementVersion | None:
    """The version behind a public verification link, or None."""
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.public_id == public_id)
        .options(selectinload(AgreementVersion.clauses), selectinload(AgreementVersion.signatures))
    )


#: The largest exported Markdown file the verify page reads.
MAX_UPLOAD = 2_000_000


class Upload(Protocol):
    """An uploaded file (werkzeug's FileStorage): its name and its bytes."""

    filename: str | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass
class HashSearch:
    #: The SHA-256 that was looked for.
    checked: str
    #: The published versions with that SHA-256.
    matches: list[AgreementVersion]


def search_by_hash(session: Session, *, upload: Upload | None, sha256: str | None) -> HashSearch:
    """Find the versions matching an uploaded file's SHA-256, or a pasted SHA-256.

    A file is hashed as it is; if nothing matches and a text editor turned its line endings
    into CRLF, the file is hashed again with LF endings (the words are what count).
    """
    if upload is not None and upload.filename:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise DomainError("The file must be smaller than 2 MB", field="file")
        checked = sha256_hex(data)
        matches = find_by_hash(session, checked)
        if not matches:
            try:
                normalised = data.decode("utf-8").replace("\r\n", "\n").encode("utf-8")
            except UnicodeDecodeError:
                normalised = data
            if normalised != data:
                matches = find_by_hash(session, sha256_hex(normalised))
        return HashSearch(checked, matches)
    if sha256:
        cleaned = clean_sha256(sha256)
        if cleaned is None:
            raise DomainError("Enter a SHA-256: 64 characters, using only 0 to 9 and a to f", field="sha256")
        return HashSearch(cleaned, find_by_hash(session, cleaned))
    raise DomainError("Paste a SHA-256 or choose a file to upload", field="sha256")
