"""The Mondial Relay directory sandbox: an aiohttp app answering ``WSI4_PointRelais_Recherche`` over SOAP."""

from __future__ import annotations

from typing import Any

import msgspec
from aiohttp import web
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ...sandbox_kit import Running, sandbox_app, serve
from ..schemas import NAMESPACE, OPERATION, SOAP_NAMESPACE
from .render import entity_bomb, fault, malformed_body, search_response
from .service import answer

PATH = "/Web_Services.asmx"
SOAP_ACTION = f"{NAMESPACE}{OPERATION}"


class MondialRelaySandboxConfig(msgspec.Struct, frozen=True, kw_only=True):
    # The pair recorded against the real service in 2024-25 (reference relay-carriers §1.1).
    accounts: dict[str, str] = msgspec.field(default_factory=lambda: {"BDTEST13": "TestAPI1key"})
    brand_code: str = "11"  # code marque appended to the Enseigne in signed URLs (BDTEST1311)
    default_radius_km: int = 50  # when RayonRecherche is empty
    default_results: int = 10  # when NombreResultats is empty


_CONFIG = web.AppKey("config", MondialRelaySandboxConfig)


def build_app(config: MondialRelaySandboxConfig | None = None) -> web.Application:
    app = sandbox_app(malformed=malformed_body(), bomb=entity_bomb(), content_type="text/xml")
    app[_CONFIG] = config or MondialRelaySandboxConfig()
    app.router.add_post(PATH, _soap)
    return app


async def start_sandbox(
    config: MondialRelaySandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> Running:
    """Serve the sandbox; ``Running.url`` is the value for ``PORTSIDE_MONDIAL_RELAY_URL``."""
    return await serve(build_app(config), host=host, port=port, path=PATH)


async def _soap(request: web.Request) -> web.Response:
    action = request.headers.get("SOAPAction", "").strip('"')
    if action != SOAP_ACTION:
        # What ASP.NET web services answer for an operation they do not have.
        return _xml(fault("Client", f"Server did not recognize the value of HTTP Header SOAPAction: {action}."), 500)
    try:
        root = fromstring(await request.read(), forbid_dtd=True)
    except (DefusedXmlException, Exception):
        return _xml(fault("Client", "Server was unable to read request. There is an error in XML document."), 400)
    call = root.find(f"{{{SOAP_NAMESPACE}}}Body/{{{NAMESPACE}}}{OPERATION}")
    if call is None:
        return _xml(fault("Client", f"Body does not contain {OPERATION}."), 500)
    config = request.app[_CONFIG]
    params = _params(call)
    result = answer(params, config.accounts, radius_km=config.default_radius_km, results=config.default_results)
    enseigne = params.get("Enseigne", "")
    key = config.accounts.get(enseigne, "")
    return _xml(search_response(result, brand=enseigne.strip() + config.brand_code, private_key=key), 200)


def _params(call: Any) -> dict[str, str]:
    prefix = f"{{{NAMESPACE}}}"
    return {
        child.tag[len(prefix) :]: (child.text or "")
        for child in call
        if isinstance(child.tag, str) and child.tag.startswith(prefix)
    }


def _xml(body: bytes, status: int) -> web.Response:
    return web.Response(body=body, status=status, content_type="text/xml", charset="utf-8")
