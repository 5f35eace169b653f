"""Bearer API keys: every route but the public ones needs one; the key's account scopes everything."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from portside.core.services.accounts import authenticate

from .problems import ApiProblem
from .state import API_KEY, PORTSIDE, PUBLIC_ROUTES

_CHALLENGE = 'Bearer realm="portside"'


def _refuse(detail: str, *, invalid: bool) -> ApiProblem:
    # RFC 6750: a request with no credentials gets the bare challenge; a bad key says invalid_token.
    challenge = f'{_CHALLENGE}, error="invalid_token"' if invalid else _CHALLENGE
    return ApiProblem(401, detail, slug="unauthenticated", headers={"WWW-Authenticate": challenge})


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization")
    if header is None:
        raise _refuse("send your API key as 'Authorization: Bearer <key>'", invalid=False)
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip() or " " in key.strip():
        raise _refuse("the Authorization header must be 'Bearer <key>' with one API key", invalid=True)
    return key.strip()


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = request.match_info.route.resource
    template = route.canonical if route is not None else None
    if template is None or template in request.app[PUBLIC_ROUTES]:
        return await handler(request)  # public, or no such route (answered 404/405 without a key)
    found = await authenticate(_bearer(request), uow=request.app[PORTSIDE].uow)
    if found is None:
        raise _refuse("this API key is unknown or was revoked; ask for a new one", invalid=True)
    request[API_KEY] = found
    return await handler(request)
