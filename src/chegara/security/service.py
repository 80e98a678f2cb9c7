"""Agencies, users, sharing groups, tokens and logins. Functions take a session, never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chegara.db.base import utcnow
from chegara.errors import (
    AdminLockout,
    BadInput,
    Conflict,
    Forbidden,
    NotAuthenticated,
    NotFound,
)
from chegara.security import audit
from chegara.security.credentials import (
    dummy_hash,
    hash_password,
    new_secret,
    password_problem,
    secret_digest,
    verify_password,
)
from chegara.security.models import (
    Agency,
    ApiToken,
    LoginThrottle,
    SharingGroup,
    SharingGroupMember,
    User,
    WebSession,
)
from chegara.security.policy import ALL_ACTIONS, Principal, Role, can
from chegara.security.schemas import (
    EMAIL_MAX_LENGTH,
    FULL_NAME_LENGTH,
    USER_LANGUAGES,
    USERNAME_LENGTH,
    Username,
)
from chegara.settings import Settings
from chegara.text import control_character_problem


def require(principal: Principal, action: str, resource: object = None) -> None:
    decision = can(principal, action, resource)
    if not decision:
        raise Forbidden(f"not allowed to {action}: {decision.reason}")


# --- agencies ---------------------------------------------------------------------------------

def create_agency(
    session: Session, *, code: str, name: str, country: str, kind: str, name_ru: str = "",
    is_partner: bool = False,
) -> Agency:
    if session.scalar(select(Agency.id).where(Agency.code == code)) is not None:
        raise Conflict(f"an agency with code {code!r} already exists")
    agency = Agency(code=code, name=name, name_ru=name_ru, country=country.upper(), kind=kind,
                    is_partner=is_partner)
    session.add(agency)
    session.flush()
    return agency


def list_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.is_partner, Agency.name)))


def get_agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    return agency


def update_agency(
    session: Session, agency_id: int, *, name: str | None = None, name_ru: str | None = None,
    active: bool | None = None, changed_by_agency: int | None = None,
) -> Agency:
    """Change an agency; ``changed_by_agency`` is the agency of the signed-in user."""
    agency = get_agency(session, agency_id)
    if active is False and agency.active and agency_id == changed_by_agency:
        raise AdminLockout("you cannot deactivate your own agency: nobody in it, you included, "
                           "could sign in to undo it")
    if name is not None:
        agency.name = name
    if name_ru is not None:
        agency.name_ru = name_ru
    if active is not None:
        agency.active = active
    session.flush()
    return agency


# --- users ------------------------------------------------------------------------------------

def _valid_roles(roles: list[str]) -> list[str]:
    unknown = sorted(set(roles) - {r.value for r in Role})
    if unknown:
        raise BadInput(f"unknown role(s): {', '.join(unknown)}")
    return sorted(set(roles))


def create_user(
    session: Session, settings: Settings, *, username: str, full_name: str, agency_id: int,
    roles: list[str], password: str, email: str = "", language: str = "ru",
) -> User:
    _check_new_user(username=username, full_name=full_name, email=email, language=language)
    problem = password_problem(password)
    if problem:
        raise BadInput(problem, details=[{"field": "password", "problem": problem}])
    get_agency(session, agency_id)
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise Conflict(f"user name {username!r} is taken")
    user = User(username=username, full_name=full_name, agency_id=agency_id,
                roles=_valid_roles(roles), password_hash=hash_password(password, settings),
                email=email, language=language)
    session.add(user)
    session.flush()
    return user


_USERNAME = TypeAdapter(Username)


def _is_username(text: str) -> bool:
    try:
        _USERNAME.validate_python(text)
    except ValidationError:
        return False
    return True


def _check_new_user(*, username: str, full_name: str, email: str, language: str) -> None:
    """The rules of the API's ``UserIn``, also for the web form and the command line."""
    shortest_username, longest_username = USERNAME_LENGTH
    shortest_name, longest_name = FULL_NAME_LENGTH
    problems = [{"field": field, "problem": problem} for field, problem, wrong in (
        ("username", f"{shortest_username}-{longest_username} letters, digits, '.', '_' or '-'",
         not _is_username(username)),
        ("full_name", f"{shortest_name}-{longest_name} characters",
         not shortest_name <= len(full_name.strip()) <= longest_name),
        ("email", f"at most {EMAIL_MAX_LENGTH} characters", len(email) > EMAIL_MAX_LENGTH),
        ("language", " or ".join(USER_LANGUAGES), language not in USER_LANGUAGES)) if wrong]
    problems += [{"field": field, "problem": problem} for field, problem in (
        ("full_name", control_character_problem(full_name)),
        ("email", control_character_problem(email))) if problem]
    if problems:
        raise BadInput("; ".join(f"{p['field']}: {p['problem']}" for p in problems),
                       details=problems)


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise BadInput(f"no user named {username!r}")
    return user


def resolve_owner_agency(session: Session, code: str | None) -> int:
    """The agency that will own something created from the command line: the one named, else
    the national coordination centre, else the only national agency, else a new local one."""
    if code:
        found = session.scalar(select(Agency.id).where(Agency.code == code))
        if found is None:
            raise BadInput(f"no agency with code {code!r}")
        return found
    national = list(session.scalars(select(Agency).where(Agency.is_partner.is_(False))))
    coordinators = [a for a in national if a.kind == "coordination"]
    if len(coordinators) == 1:
        return coordinators[0].id
    if len(national) == 1:
        return national[0].id
    if national:
        raise BadInput("several agencies could own it; name one with --agency CODE")
    return create_agency(session, code="LOCAL", name="Local installation", country="UNK",
                         kind="coordination").id


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def list_users(session: Session, *, agency_id: int | None, offset: int = 0,
               limit: int = 50) -> tuple[list[User], int]:
    query = select(User)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = session.scalars(query.order_by(User.username).offset(offset).limit(limit))
    return list(users), total


def update_user(
    session: Session, settings: Settings, user: User, *, full_name: str | None = None,
    roles: list[str] | None = None, active: bool | None = None, password: str | None = None,
    language: str | None = None, email: str | None = None, changed_by: int | None = None,
) -> User:
    """Change a user; ``changed_by`` is the id of the signed-in user making the change."""
    new_roles = _valid_roles(roles) if roles is not None else list(user.roles)
    keep_administration(session, user, roles=new_roles,
                        active=user.active if active is None else active, changed_by=changed_by)
    if full_name is not None:
        user.full_name = full_name
    if roles is not None:
        user.roles = new_roles
    if active is not None:
        user.active = active
        if not active:
            revoke_all_credentials(session, user.id)
    if email is not None:
        user.email = email
    if language is not None:
        user.language = language
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise BadInput(problem, details=[{"field": "password", "problem": problem}])
        user.password_hash = hash_password(password, settings)
        user.password_changed_at = utcnow()
        revoke_all_credentials(session, user.id)
    session.flush()
    return user


def keep_administration(session: Session, user: User, *, roles: list[str], active: bool,
                        changed_by: int | None) -> None:
    """Refuse a change that locks administrators out: nobody may disable their own account or
    drop their own admin role, and an agency keeps at least one active administrator (users
    are managed only from inside their agency, so an agency without one cannot be repaired
    from the web or the API). The last check catches two administrators demoting each other
    at the same moment: the second change was authorised before the first one landed."""
    if changed_by == user.id and user.active and not active:
        raise AdminLockout("you cannot disable your own account; ask another administrator")
    was_admin = user.active and Role.ADMIN.value in user.roles
    if not was_admin or (active and Role.ADMIN.value in roles):
        return
    if changed_by == user.id:
        raise AdminLockout("you cannot remove your own administrator role; "
                           "ask another administrator of your agency")
    colleagues = session.scalars(select(User).where(
        User.agency_id == user.agency_id, User.id != user.id, User.active.is_(True)))
    if not any(Role.ADMIN.value in colleague.roles for colleague in colleagues):
        raise AdminLockout(f"{user.username} is the last active administrator of the agency; "
                           "make another user administrator first")


def revoke_all_credentials(session: Session, user_id: int) -> None:
    now = utcnow()
    for token in session.scalars(select(ApiToken).where(
            ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
    for web in session.scalars(select(WebSession).where(
            WebSession.user_id == user_id, WebSession.revoked_at.is_(None))):
        web.revoked_at = now


def principal_for(session: Session, user: User, token_scopes: list[str] | None = None
                  ) -> Principal:
    group_ids = session.scalars(select(SharingGroupMember.group_id).where(
        SharingGroupMember.agency_id == user.agency_id))
    return Principal(
        user_id=user.id, username=user.username, agency_id=user.agency_id,
        agency_is_partner=user.agency.is_partner,
        roles=frozenset(Role(r) for r in user.roles), group_ids=frozenset(group_ids),
        token_scopes=frozenset(token_scopes) if token_scopes else None,
        language=user.language, full_name=user.full_name,
    )


def actor_of(principal: Principal) -> audit.Actor:
    return audit.Actor(principal.user_id, principal.username, principal.agency_id)


# --- logins and back-off ----------------------------------------------------------------------

@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _throttle(session: Session, key: str) -> LoginThrottle:
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0)
        session.add(row)
    return row


def attempt_login(session: Session, settings: Settings, username: str, password: str
                  ) -> LoginOutcome:
    """Check a password with exponential back-off per user name (known or not).

    Never raises for a wrong password: the failure count must be committed, so the caller
    commits and then refuses.
    """
    now = utcnow()
    throttle = _throttle(session, "user:" + username.strip().lower()[:100])
    if throttle.blocked_until is not None and throttle.blocked_until > now:
        wait = int((throttle.blocked_until - now).total_seconds()) + 1
        return LoginOutcome(None, retry_after=wait)
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    stored = user.password_hash if user is not None else dummy_hash(settings)
    password_ok = verify_password(stored, password, settings)
    actor = audit.Actor(user.id if user else None, username[:64], user.agency_id if user else None)
    audit.set_actor(session, actor)
    if user is None or not password_ok or not user.active or not user.agency.active:
        throttle.failures += 1
        over = throttle.failures - settings.login_backoff_after
        if over >= 0:
            # 4 s, 8 s, 16 s …: long enough to stop guessing, short for a mistyped password.
            delay = min(2 ** (over + 2), settings.login_backoff_max_seconds)
            throttle.blocked_until = now + dt.timedelta(seconds=delay)
        audit.append(session, action="login.failed", resource_type="app_user",
                     resource_id=user.id if user else "-", actor=actor)
        return LoginOutcome(None)
    throttle.failures = 0
    throttle.blocked_until = None
    user.last_login_at = now
    audit.append(session, action="login", resource_type="app_user", resource_id=user.id,
                 actor=actor)
    return LoginOutcome(user)


def start_web_session(session: Session, settings: Settings, user: User) -> str:
    secret = new_secret("s_")
    session.add(WebSession(user_id=user.id, token_hash=secret_digest(secret),
                           expires_at=utcnow() + dt.timedelta(minutes=settings.session_minutes)))
    session.flush()
    return secret


def end_web_session(session: Session, secret: str) -> None:
    web = session.scalar(select(WebSession).where(WebSession.token_hash == secret_digest(secret)))
    if web is not None and web.revoked_at is None:
        web.revoked_at = utcnow()
        audit.append(session, action="logout", resource_type="app_user", resource_id=web.user_id)


def user_for_web_session(session: Session, secret: str) -> User:
    web = session.scalar(select(WebSession).where(WebSession.token_hash == secret_digest(secret)))
    if web is None or web.revoked_at is not None or web.expires_at <= utcnow():
        raise NotAuthenticated("your session has ended; please sign in again")
    return _active_user(session, web.user_id)


def _active_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or not user.agency.active:
        raise NotAuthenticated("this account is disabled")
    return user


# --- API tokens -------------------------------------------------------------------------------

def create_token(
    session: Session, settings: Settings, principal: Principal, *, name: str, days: int,
    scopes: list[str] | None = None,
) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        # The name is how the owner later tells which token to revoke.
        raise BadInput("give the token a name", details=[{"field": "name", "problem": "empty"}])
    if not 1 <= days <= settings.token_max_days:
        raise BadInput(f"a token lives between 1 and {settings.token_max_days} days")
    scopes = sorted(set(scopes or []))
    unknown = [s for s in scopes if s not in ALL_ACTIONS]
    if unknown:
        raise BadInput(f"unknown scope(s): {', '.join(unknown)}")
    beyond = [s for s in scopes if s not in principal.permissions]
    if beyond:
        raise Forbidden(f"a token cannot grant more than you have: {', '.join(beyond)}")
    secret = new_secret()
    token = ApiToken(user_id=principal.user_id, name=name, prefix=secret[:10],
                     token_hash=secret_digest(secret), scopes=scopes,
                     expires_at=utcnow() + dt.timedelta(days=days))
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                .order_by(ApiToken.created_at.desc())))


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != principal.user_id:
        raise NotFound(f"token {token_id} does not exist")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    session.flush()
    return token


def token_owner(session: Session, secret: str) -> tuple[User, ApiToken]:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_digest(secret)))
    if token is None or token.revoked_at is not None:
        raise NotAuthenticated("the API token is unknown or revoked")
    if token.expires_at <= utcnow():
        raise NotAuthenticated("the API token has expired")
    return _active_user(session, token.user_id), token


# --- sharing groups ---------------------------------------------------------------------------

def create_sharing_group(session: Session, principal: Principal, *, name: str,
                         description: str, member_agency_ids: list[int]) -> SharingGroup:
    if session.scalar(select(SharingGroup.id).where(SharingGroup.name == name)):
        raise Conflict(f"a sharing group named {name!r} exists")
    group = SharingGroup(name=name, description=description, owner_agency_id=principal.agency_id)
    session.add(group)
    session.flush()
    for agency_id in sorted({principal.agency_id, *member_agency_ids}):
        get_agency(session, agency_id)
        session.add(SharingGroupMember(group_id=group.id, agency_id=agency_id))
    session.flush()
    return group


def set_group_members(session: Session, principal: Principal, group_id: int,
                      agency_ids: list[int]) -> SharingGroup:
    group = session.get(SharingGroup, group_id)
    if group is None:
        raise NotFound(f"sharing group {group_id} does not exist")
    if group.owner_agency_id != principal.agency_id:
        raise Forbidden("only the agency that owns a sharing group may change its members")
    wanted = {principal.agency_id, *agency_ids}
    for agency_id in wanted:
        get_agency(session, agency_id)
    current = {m.agency_id: m for m in session.scalars(
        select(SharingGroupMember).where(SharingGroupMember.group_id == group_id))}
    for agency_id, member in current.items():
        if agency_id not in wanted:
            session.delete(member)
    for agency_id in wanted - set(current):
        session.add(SharingGroupMember(group_id=group_id, agency_id=agency_id))
    session.flush()
    return group


def list_sharing_groups(session: Session) -> list[tuple[SharingGroup, list[int]]]:
    groups = list(session.scalars(select(SharingGroup).order_by(SharingGroup.name)))
    members: dict[int, list[int]] = {}
    for member in session.scalars(select(SharingGroupMember)):
        members.setdefault(member.group_id, []).append(member.agency_id)
    return [(g, sorted(members.get(g.id, []))) for g in groups]
