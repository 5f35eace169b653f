"""The Colissimo directory sandbox: Point Retrait v2 REST/JSON over the shared seed points, with fault knobs."""

from __future__ import annotations

import msgspec
from aiohttp import web

from ...sandbox_kit import Running, sandbox_app, serve
from ..schemas import BY_ID_OPERATION, SEARCH_OPERATION
from .service import Auth, by_id, search

PATH = "/pointretrait-ws-cxf/rest/v2/pointretrait"


class ColissimoSandboxConfig(msgspec.Struct, frozen=True, kw_only=True):
    accounts: dict[str, str] = msgspec.field(default_factory=lambda: {"123456": "sandbox-password"})
    api_keys: tuple[str, ...] = ("sandbox-api-key",)
    radius_km: int = 50  # Colissimo has no radius parameter; the sandbox stops here
    max_results: int = 20


_CONFIG = web.AppKey("config", ColissimoSandboxConfig)
_decode_body = msgspec.json.Decoder(dict[str, object])
_encode = msgspec.json.Encoder()


def build_app(config: ColissimoSandboxConfig | None = None) -> web.Application:
    app = sandbox_app(malformed=malformed_body(), bomb=nesting_bomb(), content_type="application/json")
    app[_CONFIG] = config or ColissimoSandboxConfig()
    app.router.add_post(f"{PATH}/{SEARCH_OPERATION}", _search)
    app.router.add_post(f"{PATH}/{BY_ID_OPERATION}", _by_id)
    return app


async def start_sandbox(
    config: ColissimoSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> Running:
    """Serve the sandbox; ``Running.url`` is the value for ``PORTSIDE_COLISSIMO_URL``."""
    return await serve(build_app(config), host=host, port=port, path=PATH)


async def _search(request: web.Request) -> web.Response:
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    config = request.app[_CONFIG]
    auth = Auth(accounts=config.accounts, api_keys=config.api_keys)
    return _json(search(body, auth, radius_km=config.radius_km, results=config.max_results))


async def _by_id(request: web.Request) -> web.Response:
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    config = request.app[_CONFIG]
    return _json(by_id(body, Auth(accounts=config.accounts, api_keys=config.api_keys)))


async def _body(request: web.Request) -> dict[str, object] | web.Response:
    try:
        return _decode_body.decode(await request.read())
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return web.json_response({"message": "Unrecognized JSON body"}, status=400)


def _json(answer: object) -> web.Response:
    return web.Response(body=_encode.encode(answer), content_type="application/json")


def malformed_body() -> bytes:
    """An answer cut off mid-point, as a dropped connection or a broken proxy leaves it."""
    return b'{"errorCode":0,"errorMessage":"Code retour OK","listePointRetraitAcheminement":[{"identifiant":"06'


def nesting_bomb() -> bytes:
    """Valid JSON nested far deeper than any answer: a parser that recurses on it runs out of stack."""
    depth = 200_000
    return b'{"errorCode":0,"messages":' + b"[" * depth + b"]" * depth + b"}"
