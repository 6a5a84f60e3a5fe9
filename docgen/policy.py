"""Who may do what (design D14): the acting ``Actor``, roles, actions and ``can()``.

Pure Python: no Flask, no database. Views, the API, jobs and the CLI resolve one ``Actor``
per request or command and ask this module; loaders turn "not visible" into 404 and
"visible but not allowed" into 403. ``ROUTES`` names the permission of every endpoint of
the app; a test fails for an endpoint it does not name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    DRAFTER = "drafter"  # Chuyên viên
    SIGNER = "signer"  # Lãnh đạo (người ký)
    REGISTRAR = "registrar"  # Văn thư
    BOARD = "board"  # Ban Thi đua - Khen thưởng
    ARCHIVIST = "archivist"  # Lưu trữ
    ADMIN = "admin"  # Quản trị

    @property
    def label(self) -> str:
        """Return the role as users read it."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.DRAFTER: "Chuyên viên",
    Role.SIGNER: "Lãnh đạo",
    Role.REGISTRAR: "Văn thư",
    Role.BOARD: "Ban Thi đua - Khen thưởng",
    Role.ARCHIVIST: "Lưu trữ",
    Role.ADMIN: "Quản trị",
}


@dataclass(frozen=True)
class Actor:
    """The one who acts in a request, a job or a command; immutable for its duration.

    ``username`` is what archive rows and audit events record. ``system`` marks the
    operator at the server's console (CLI, record loading): trusted, never a web user.
    """

    username: str
    organisation: str | None
    roles: frozenset[Role] = field(default_factory=frozenset)
    user_id: int | None = None
    name: str = ""
    signer: str | None = None  # the signer record (records/signers.yaml) a signer account is
    epoch: int = 0
    system: bool = False

    @property
    def authenticated(self) -> bool:
        """Return whether a user (or the console) stands behind this actor."""
        return self.system or self.user_id is not None

    def has(self, *roles: Role) -> bool:
        """Return whether the actor holds any of ``roles``."""
        return any(role in self.roles for role in roles)

    def of(self, organisation: str | None) -> bool:
        """Return whether the actor belongs to ``organisation``."""
        return organisation is not None and self.organisation == organisation


ANONYMOUS = Actor(username="", organisation=None)


def system_actor(name: str = "hệ thống") -> Actor:
    """Return the console's actor: every role, every organisation (CLI, loaders, jobs)."""
    return Actor(username=name, organisation=None, roles=frozenset(Role), system=True)


class Action(StrEnum):
    RENDER_DRAFT = "render_draft"  # obj: issuer organisation code
    ISSUE = "issue"  # obj: issuer organisation code
    CHANGE_STATUS = "change_status"  # withdraw / supersede / correct; obj: DocumentFacts
    READ_DOCUMENT = "read_document"  # obj: DocumentFacts
    SEARCH = "search"
    VERIFY = "verify"
    REGISTER_BOOK = "register_book"  # obj: issuer organisation code
    MANAGE_USERS = "manage_users"  # obj: organisation code of the user managed
    READ_JOB = "read_job"  # obj: JobFacts
    NAME_READERS = "name_readers"  # name / revoke readers of a secret document; obj: DocumentFacts
    # drafts and their signing (issue 9, design D18); obj: DraftFacts
    READ_DRAFT = "read_draft"
    EDIT_DRAFT = "edit_draft"  # edit, submit (trình ký), delete: the author or the registrar
    SIGN_DRAFT = "sign_draft"  # approve (duyệt) or return (trả lại): the signer it names
    RECORD_PAPER_SIGNATURE = "record_paper_signature"  # "đã ký trên giấy": the registrar
    DISPATCH = "dispatch"  # phát hành: mark sent, envelopes, Sổ gửi; obj: issuer organisation code
    # campaigns and nominations (issue 10, design D19)
    MANAGE_CAMPAIGN = "manage_campaign"  # create / copy a campaign; obj: organiser code
    READ_NOMINATIONS = "read_nominations"  # obj: NominationFacts
    EDIT_NOMINATIONS = "edit_nominations"  # add / edit / delete / import / submit / recall
    # the organiser's board: accept / return packages, select nominees; obj: organiser code
    REVIEW_NOMINATIONS = "review_nominations"
    # named recipient lists (issue 9): create, edit, delete; obj: the owning organisation code
    MANAGE_RECIPIENTS = "manage_recipients"
    READ_USE_LOG = "read_use_log"  # who viewed / downloaded a document; obj: its organisation


@dataclass(frozen=True)
class DocumentFacts:
    """What the policy needs to know of an issued document."""

    organisation: str  # the issuer
    secret: bool = False  # issued into a secret register (văn bản mật)
    readers: frozenset[str] = frozenset()  # usernames the issuer named for a secret document
    addressed_to: frozenset[str] = frozenset()  # organisation codes named as recipients


@dataclass(frozen=True)
class DraftFacts:
    """What the policy needs to know of a draft (a dự thảo, not yet issued)."""

    organisation: str  # the organisation that will issue it
    author_id: int
    signer: str | None  # the signer record named on the draft


@dataclass(frozen=True)
class NominationFacts:
    """What the policy needs to know of an organisation's nominations to a campaign."""

    organisation: str  # the nominating organisation
    organiser: str  # the campaign's organiser (the board's organisation)


@dataclass(frozen=True)
class JobFacts:
    organisation: str | None
    user_id: int | None


def can(actor: Actor, action: Action, obj: Any = None) -> bool:
    """Return whether ``actor`` may do ``action`` (to ``obj``, where the action has one)."""
    if actor.system:
        return True
    if not actor.authenticated:
        return False
    rule = _RULES[action]
    return rule(actor, obj)


def visible(actor: Actor, document: DocumentFacts) -> bool:
    """Return whether ``actor`` may know the document exists (else it is a 404)."""
    return can(actor, Action.READ_DOCUMENT, document)


def _read_document(actor: Actor, doc: DocumentFacts) -> bool:
    if doc.secret:  # named readers are the issuer's own users (Decree 30: it stays inside)
        return actor.of(doc.organisation) and (
            actor.has(Role.REGISTRAR) or actor.username in doc.readers
        )
    if actor.of(doc.organisation):
        return True
    return actor.has(Role.BOARD) and actor.organisation in doc.addressed_to


def _change_status(actor: Actor, doc: DocumentFacts) -> bool:
    return actor.of(doc.organisation) and actor.has(Role.REGISTRAR, Role.ADMIN)


def _job(actor: Actor, job: JobFacts) -> bool:
    if job.user_id is not None and job.user_id == actor.user_id:
        return True
    return (
        job.organisation is not None
        and actor.of(job.organisation)
        and actor.has(Role.ADMIN, Role.ARCHIVIST)
    )


def _edit_draft(actor: Actor, draft: DraftFacts) -> bool:
    if not actor.of(draft.organisation):
        return False
    return actor.user_id == draft.author_id or actor.has(Role.REGISTRAR)


def _sign_draft(actor: Actor, draft: DraftFacts) -> bool:
    return (
        actor.of(draft.organisation)
        and actor.has(Role.SIGNER)
        and draft.signer is not None
        and actor.signer == draft.signer
    )


def _read_nominations(actor: Actor, nom: NominationFacts) -> bool:
    return actor.of(nom.organisation) or (actor.has(Role.BOARD) and actor.of(nom.organiser))


_RULES = {
    Action.RENDER_DRAFT: lambda a, org: a.of(org) and a.has(Role.DRAFTER, Role.REGISTRAR),
    Action.ISSUE: lambda a, org: a.of(org) and a.has(Role.REGISTRAR),
    Action.CHANGE_STATUS: _change_status,
    Action.READ_DOCUMENT: _read_document,
    Action.SEARCH: lambda a, _obj: True,
    Action.VERIFY: lambda a, _obj: a.has(Role.ARCHIVIST, Role.ADMIN),
    Action.REGISTER_BOOK: lambda a, org: a.of(org) and a.has(Role.ARCHIVIST, Role.ADMIN),
    Action.MANAGE_USERS: lambda a, org: a.of(org) and a.has(Role.ADMIN),
    Action.READ_JOB: _job,
    Action.NAME_READERS: _change_status,  # the same people as withdrawing it
    Action.READ_DRAFT: lambda a, draft: a.of(draft.organisation),
    Action.EDIT_DRAFT: _edit_draft,
    Action.SIGN_DRAFT: _sign_draft,
    Action.RECORD_PAPER_SIGNATURE: lambda a, draft: (
        a.of(draft.organisation) and a.has(Role.REGISTRAR)
    ),
    Action.DISPATCH: lambda a, org: a.of(org) and a.has(Role.REGISTRAR),
    Action.MANAGE_CAMPAIGN: lambda a, org: a.of(org) and a.has(Role.BOARD),
    Action.READ_NOMINATIONS: _read_nominations,
    Action.EDIT_NOMINATIONS: lambda a, nom: (
        a.of(nom.organisation) and a.has(Role.DRAFTER, Role.REGISTRAR)
    ),
    Action.REVIEW_NOMINATIONS: lambda a, org: a.of(org) and a.has(Role.BOARD),
    Action.MANAGE_RECIPIENTS: lambda a, org: a.of(org) and a.has(Role.REGISTRAR, Role.ADMIN),
    Action.READ_USE_LOG: lambda a, org: a.of(org) and a.has(Role.ARCHIVIST, Role.ADMIN),
}


@dataclass(frozen=True)
class DocumentScope:
    """Which issued documents a query may return for an actor (services turn it into SQL).

    ``organisations`` None means every organisation (the console). Secret documents are
    returned only for ``secret_organisations`` or where ``username`` is a named reader.
    """

    organisations: frozenset[str] | None
    addressed_to: str | None  # the board sees documents addressed to its organisation
    secret_organisations: frozenset[str] | None
    username: str | None


def document_scope(actor: Actor) -> DocumentScope:
    """Return the documents ``actor``'s searches and lists may see."""
    if actor.system:
        return DocumentScope(None, None, None, None)
    if not actor.authenticated or actor.organisation is None:
        return DocumentScope(frozenset(), None, frozenset(), None)
    own = frozenset({actor.organisation})
    return DocumentScope(
        organisations=own,
        addressed_to=actor.organisation if actor.has(Role.BOARD) else None,
        secret_organisations=own if actor.has(Role.REGISTRAR) else frozenset(),
        username=actor.username,
    )


# ----------------------------------------------------------------------------------------
# Routes. Every endpoint of the app is named here with what it needs before its view runs:
# PUBLIC (anyone), SIGNED_IN (any user), or a role set (a user holding one of them).
# Object-level checks (which organisation, which document) happen in the loaders.
PUBLIC = "public"
SIGNED_IN = "signed_in"


def roles(*wanted: Role) -> frozenset[Role]:
    return frozenset(wanted)


ROUTES: dict[str, str | frozenset[Role]] = {
    "static": PUBLIC,
    "api.openapi": PUBLIC,
    "api.create_draft": roles(Role.DRAFTER, Role.REGISTRAR),
    "api.draft_preview": roles(Role.DRAFTER, Role.REGISTRAR),
    "api.issue": roles(Role.REGISTRAR),
    "api.list_documents": SIGNED_IN,
    "api.get_document": SIGNED_IN,
    "api.get_docx": SIGNED_IN,
    "api.get_pdf": SIGNED_IN,
    "api.get_pdfa": SIGNED_IN,
    "api.get_preview": SIGNED_IN,
    "api.withdraw": roles(Role.REGISTRAR, Role.ADMIN),
    "api.supersede": roles(Role.REGISTRAR, Role.ADMIN),
    "api.request_renditions": roles(Role.REGISTRAR, Role.ARCHIVIST, Role.ADMIN),
    # named readers of a secret document: the issuer's registrar or admin, in the service
    "api.list_readers": roles(Role.REGISTRAR, Role.ADMIN),
    "api.grant_reader": roles(Role.REGISTRAR, Role.ADMIN),
    "api.revoke_reader": roles(Role.REGISTRAR, Role.ADMIN),
    # jobs: the job itself is scoped by READ_JOB in its loader (another's job is a 404)
    "api.get_job": SIGNED_IN,
    "jobs.show": SIGNED_IN,
    "jobs.retry": SIGNED_IN,
    # pages: documents and users are scoped in their loaders (another's is a 404)
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,  # signing out an expired session must not ask to sign in first
    "auth.change_password": SIGNED_IN,
    "archive.index": SIGNED_IN,
    "archive.save_search": SIGNED_IN,  # the user's own saved searches only
    "archive.delete_saved_search": SIGNED_IN,  # another user's is a 404 in the service
    "archive.document": SIGNED_IN,
    "archive.download": SIGNED_IN,
    "archive.preview": SIGNED_IN,
    "archive.integrity": SIGNED_IN,  # the document is scoped in its loader
    "archive.verification_reports": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.start_verification": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.verification_report": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.transfer": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.register_books": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.statistics": SIGNED_IN,  # counts within the reader's own scope
    # the board's campaigns: another organiser's campaign is a 404 in the view
    "board.index": roles(Role.BOARD),
    "board.campaign": roles(Role.BOARD),
    # create a campaign, copy one, change its deadline reading / refuse-late (MANAGE_CAMPAIGN of
    # the organiser in the service; another organiser's campaign is a 404)
    "board.new_campaign": roles(Role.BOARD),
    "board.copy_campaign": roles(Role.BOARD),
    "board.campaign_settings": roles(Role.BOARD),
    # the central submission dossier (issue 10): the organiser's board (another organiser's
    # campaign is a 404 in the view; drafting the tờ trình needs RENDER_DRAFT there too); a
    # dossier is read by that board and by the organisation the tờ trình went to (else 404),
    # whose drafters draft the công văn to the central council (RENDER_DRAFT in the service)
    "board.dossier": roles(Role.BOARD),
    "board.draft_submission": roles(Role.BOARD),
    "board.build_dossier": roles(Role.BOARD),
    "board.dossier_detail": SIGNED_IN,
    "board.dossier_download": SIGNED_IN,
    "board.addressed_dossiers": SIGNED_IN,
    "board.draft_council": roles(Role.DRAFTER, Role.REGISTRAR),
    # an addressed organisation's nominations desk (issue 10): its drafters and registrars
    # edit (EDIT_NOMINATIONS in the services), its signers read; the campaign must address the
    # organisation and another organisation's nominee or attachment is a 404 in the loaders;
    # the organiser's board reads a nominee (read-only: 403 on a change)
    "nominations.index": roles(Role.DRAFTER, Role.REGISTRAR),  # also the navigation's link
    "nominations.package": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "nominations.new_nominee": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.nominee": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER, Role.BOARD),
    "nominations.delete_nominee": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.attach": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.attachment": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER, Role.BOARD),
    "nominations.delete_attachment": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.import_template": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.import_page": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.import_confirm": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.import_report": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.send": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.refresh_cover": roles(Role.DRAFTER, Role.REGISTRAR),
    "nominations.recall": roles(Role.DRAFTER, Role.REGISTRAR),
    # the board's review, selection and reminder (REVIEW_NOMINATIONS in the services; another
    # organiser's campaign or package is a 404; the reminder also needs the drafter role there)
    "board.package": roles(Role.BOARD),
    "board.attachment": roles(Role.BOARD),
    "board.accept": roles(Role.BOARD),
    "board.return_package": roles(Role.BOARD),
    "board.select": roles(Role.BOARD),
    "board.unselect": roles(Role.BOARD),
    "board.selection": roles(Role.BOARD),
    "board.reminder": roles(Role.BOARD),
    # the campaign's report (MANAGE_CAMPAIGN + RENDER_DRAFT / EDIT_DRAFT in the service)
    "board.draft_report": roles(Role.BOARD),
    "board.refresh_report": roles(Role.BOARD),
    "archive.export_results": SIGNED_IN,  # the reader's own results, as a list document
    "archive.register_book_file": roles(Role.ARCHIVIST, Role.ADMIN),
    "archive.change_status": roles(Role.REGISTRAR, Role.ADMIN),  # CHANGE_STATUS in the view
    "archive.transfer_file": roles(Role.ARCHIVIST, Role.ADMIN),
    # drafting form (drafts are scoped by the drafts service: another organisation's is a 404)
    "drafting.index": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.new": roles(Role.DRAFTER, Role.REGISTRAR),
    "drafting.edit": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.autosave": roles(Role.DRAFTER, Role.REGISTRAR),
    "drafting.duplicate": roles(Role.DRAFTER, Role.REGISTRAR),
    "drafting.from_document": roles(Role.DRAFTER, Role.REGISTRAR),
    "drafting.delete": roles(Role.DRAFTER, Role.REGISTRAR),
    # live preview: page images and the format check of a saved draft (READ_DRAFT in the loader)
    "drafting.preview": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.preview_page": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.preview_check": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "admin.users": roles(Role.ADMIN),
    "admin.new_user": roles(Role.ADMIN),
    "admin.user": roles(Role.ADMIN),
    "admin.set_roles": roles(Role.ADMIN),
    "admin.set_active": roles(Role.ADMIN),
    "admin.reset_password": roles(Role.ADMIN),
    # drafting workflow (issue 9): trình ký → duyệt/trả lại → ban hành; the draft's own
    # organisation, author and signer are checked in the services (another's draft is a 404)
    "drafting.workflow": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.waiting": roles(Role.DRAFTER, Role.REGISTRAR, Role.SIGNER),
    "drafting.submit": roles(Role.DRAFTER, Role.REGISTRAR),
    "drafting.approve": roles(Role.SIGNER),
    "drafting.return_draft": roles(Role.SIGNER),
    "drafting.paper": roles(Role.REGISTRAR),
    "drafting.issue": roles(Role.REGISTRAR),
    # named recipient lists: the organisation's registrar and admin; another organisation's
    # list is a 404 in the loader, a shared list (records/) is read-only
    "drafting.recipient_lists": roles(Role.REGISTRAR, Role.ADMIN),
    "drafting.new_recipient_list": roles(Role.REGISTRAR, Role.ADMIN),
    "drafting.recipient_list": roles(Role.REGISTRAR, Role.ADMIN),
    "drafting.delete_recipient_list": roles(Role.REGISTRAR, Role.ADMIN),
    "drafting.copy_recipient_list": roles(Role.REGISTRAR, Role.ADMIN),
    # dispatch (phát hành) of an issued document: the issuer's registrar (DISPATCH in the
    # service; another organisation's document is a 404)
    "drafting.dispatch": roles(Role.REGISTRAR),
    "drafting.dispatch_mark": roles(Role.REGISTRAR),
    "drafting.dispatch_envelopes": roles(Role.REGISTRAR),
    "drafting.dispatch_post_book": roles(Role.REGISTRAR),
    # serving: probes for load balancers and supervisors; they name no host or secret
    "health.healthz": PUBLIC,
    "health.readyz": PUBLIC,
}


def route_allows(endpoint: str, actor: Actor) -> bool | None:
    """Return whether ``actor`` passes ``endpoint``'s gate; None for an unnamed endpoint."""
    rule = ROUTES.get(endpoint)
    if rule is None:
        return None
    if rule == PUBLIC:
        return True
    if not actor.authenticated:
        return False
    if rule == SIGNED_IN:
        return True
    assert isinstance(rule, frozenset)
    return actor.system or actor.has(*rule)


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Return the roles ``names`` spell, or raise ``ValueError`` naming the unknown one."""
    out = set()
    for name in names:
        try:
            out.add(Role(name))
        except ValueError:
            raise ValueError(f"Vai trò “{name}” không tồn tại") from None
    return frozenset(out)
