"""``decide workshop serve``: the workshop's views in the browser, one personal link per person.

The web app is Solara (a Starlette/ASGI server that renders ipywidgets, so the views of
:mod:`decide.workshop.views` run as they are, one virtual kernel per browser page), behind a
token gate of our own in front of every request:

* a page is opened as ``/w/<token>``; the gate looks the token up in the store (hash
  compare) and answers 403 with nothing else when it is unknown or revoked. A known token's
  page response sets an HttpOnly, SameSite=Strict cookie with that token;
* every other request (Solara's scripts, styles, its kernel API and the websocket the widgets
  talk over) needs that cookie to hold a token that is still valid, else 403 (a websocket is
  refused before it is accepted);
* inside the app the page's own token is looked up again: it opens its owner's view only, the
  facilitator's token the facilitator's view. Revoking a token closes its pages' next save.

Why Solara rather than Voila: Voila starts a Jupyter kernel process per page and puts its own
Jupyter-server authentication (one server token, login redirects) in front; per-person tokens
with a plain 403 would mean replacing Jupyter's identity provider and still passing the
person into each kernel. Solara is one ASGI app that can be wrapped by a few lines of
middleware, serves ipywidgets directly and keeps each page's state in-process, next to the
store. Nothing is fetched from the internet at run time (telemetry off, no CDN proxy).
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, Optional, Sequence

from decide import i18n
from decide.errors import DecideError, Message
from decide.store import FACILITATOR, WorkshopStore
from decide.workshop import _html as H

__all__ = ["COOKIE", "Links", "TokenGate", "Workshop", "links"]

#: The cookie that carries a page's token to the app's other requests.
COOKIE = "decide_workshop"

#: Where a personal link points: ``/w/<token>``.
PREFIX = "/w/"

#: The store the running app serves (one workshop per process).
_STORE: Optional[WorkshopStore] = None


def _s(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"serve.{key}", lang, **kw)


@dataclass(frozen=True)
class Links:
    """The links printed when a workshop starts (tokens only for newly issued ones)."""

    title: str
    participants: dict  # name -> token
    facilitator: dict  # name -> token
    earlier: tuple  # names whose links were issued before and still work
    store: str
    lang: str

    def url(self, base: str, token: str) -> str:
        return f"{base.rstrip('/')}{PREFIX}{token}"

    def to_dict(self, base: str) -> dict:
        return {"participants": {n: self.url(base, t) for n, t in self.participants.items()},
                "facilitator": {n: self.url(base, t) for n, t in self.facilitator.items()},
                "earlier": list(self.earlier), "store": self.store}

    def text(self, base: str, lang: Optional[str] = None) -> str:
        lang = lang or self.lang
        lines = [_s("links_heading", lang, title=self.title, url=base)]
        if self.participants:
            lines += ["", _s("links_participants", lang)]
            width = max(len(n) for n in self.participants)
            lines += [f"  {n.ljust(width)}  {self.url(base, t)}" for n, t in self.participants.items()]
        if self.facilitator:
            lines += ["", _s("links_facilitator", lang)]
            lines += [f"  {n}  {self.url(base, t)}" for n, t in self.facilitator.items()]
        if self.earlier:
            lines += ["", _s("links_earlier", lang, names=", ".join(self.earlier))]
        lines += ["", _s("links_stop", lang, store=self.store)]
        return "\n".join(lines)


def links(store: WorkshopStore, names: Optional[Sequence[str]] = None, *, new: bool = False,
          lang: Optional[str] = None) -> Links:
    """Make sure the participants and a facilitator exist, and issue the links to print.

    Parameters
    ----------
    names : sequence of str, optional
        The participants (default: ``workshop.participants`` of the model, else its AHP
        participants). Names not yet in the store are added.
    new : bool
        Issue new links for everyone not revoked (the old ones stop working). Without it, people
        who got a link before keep it (the store has only its hash, so it cannot be printed again).
        A revoked link stays revoked.
    """
    from decide.store import WorkshopInputError

    lang = lang or store.lang
    wanted = list(dict.fromkeys(names or store.plan.participants))
    known = {p.name: p for p in store.people()}
    if not wanted and not any(p.role != FACILITATOR for p in known.values()):
        raise WorkshopInputError("no-participants", "", _s("no_participants", lang))
    issued = store.add_participants([n for n in wanted if n not in known])
    fac = {}
    facilitators = [p for p in known.values() if p.role == FACILITATOR]
    if not facilitators:
        name = _s("facilitator_name", lang)
        fac[name] = store.add_facilitator(name)
    earlier = []
    for p in store.people():
        if p.name in issued or p.name in fac:
            continue
        if p.revoked is not None:  # a revoked link stays revoked
            continue
        if new:
            token = store.reissue(p.name)
            (fac if p.role == FACILITATOR else issued)[p.name] = token
        else:
            earlier.append(p.name)
    order = [p.name for p in store.people()]
    participants = {n: issued[n] for n in order if n in issued}
    return Links(store.model.name(lang), participants, fac, tuple(earlier), str(store.path), lang)


# ============================================================================ the gate
def _cookie_token(scope) -> Optional[str]:
    for key, value in scope.get("headers") or ():
        if key == b"cookie":
            c = SimpleCookie()
            try:
                c.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no token
                return None
            if COOKIE in c:
                return c[COOKIE].value
    return None


class TokenGate:
    """ASGI middleware: 403 and nothing else unless the request carries a valid workshop token.

    See the module docstring for the rules.
    """

    def __init__(self, app, store: WorkshopStore):
        self.app, self.store = app, store

    async def _forbid(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
            return
        body = b"403 Forbidden\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        page_token = None
        if kind == "http" and path.startswith(PREFIX):
            page_token = path[len(PREFIX):].split("/", 1)[0]
            token = page_token
        else:
            token = _cookie_token(scope)
        if self.store.authenticate(token) is None:
            return await self._forbid(scope, receive, send)
        if page_token is None:
            return await self.app(scope, receive, send)

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"set-cookie", f"{COOKIE}={page_token}; Path=/; HttpOnly; SameSite=Strict".encode()))
                headers.append((b"cache-control", b"no-store"))
                headers.append((b"referrer-policy", b"no-referrer"))
                message = dict(message, headers=headers)
            await send(message)

        # Solara's router knows the page "/w": the token stays in the browser's address (the page
        # reads it there) and in the cookie
        scope = dict(scope, path=PREFIX.rstrip("/"), raw_path=PREFIX.rstrip("/").encode())
        return await self.app(scope, receive, send_with_cookie)


# ============================================================================ the Solara app
def _configure_solara() -> None:
    """Settings Solara reads when it is imported."""
    # offline and quiet: no telemetry, no web fonts, production mode; before solara is imported
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_ASSETS_FONTAWESOME_ENABLED", "False")
    os.environ.setdefault("SOLARA_MODE", "production")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")


def _make_page():
    """The Solara component run per page: the view of the token in the page's address."""
    import solara

    @solara.component
    def Page():  # noqa: N802 (Solara's naming)
        router = solara.use_router()
        token = router.path[len(PREFIX):].split("/", 1)[0] if router.path.startswith(PREFIX) else ""
        store = _STORE
        person = store.authenticate(token) if store is not None else None

        def build():
            if person is None:
                return None
            from decide.workshop.views import view_for

            return view_for(store, person)

        view = solara.use_memo(build, [token, person is None])
        shown = solara.use_memo(lambda: None if view is None else H.styled(view.widget), [view])

        def poll(cancel):
            while not cancel.wait(1.5):
                if view is not None:
                    view.refresh()

        solara.use_thread(poll, dependencies=[view])
        if view is None:
            solara.Text("403 Forbidden")
            return
        solara.Title(store.model.name(view.lang))
        solara.display(shown)

    return Page


#: Set by :meth:`Workshop.asgi`: Solara's one route, ``/w/...`` (the token is read by the page itself).
routes: list = []


class Workshop:
    """A served workshop: the token gate in front of Solara, run by uvicorn.

    Parameters
    ----------
    store : WorkshopStore
    host : str
        Address to bind; ``127.0.0.1`` (the default) is this computer only.
    port : int
        0 picks a free port.
    """

    def __init__(self, store: WorkshopStore, host: str = "127.0.0.1", port: int = 8765):
        global _STORE
        _configure_solara()
        try:
            import solara  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError as exc:
            raise DecideError(Message("workshop.server_extra_missing", reason=str(exc))) from None
        self.store, self.host = store, host
        if port == 0:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
                s.bind((host, 0))
                port = s.getsockname()[1]
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}"
        _STORE = store

    def asgi(self):
        """The ASGI app: :class:`TokenGate` around Solara's Starlette app."""
        import warnings

        _configure_solara()
        # Solara warns that its session cookie cannot be SameSite=None over plain http; it uses Lax
        warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
        from solara.server import app as solara_app
        from solara.server.starlette import app as starlette_app

        import solara

        routes[:] = [solara.Route(path=PREFIX.strip("/"), component=_make_page())]
        solara_app.apps["__default__"] = solara_app.AppScript(__name__)
        return TokenGate(starlette_app, self.store)

    def run(self) -> None:
        """Serve until interrupted (Ctrl+C)."""
        import uvicorn

        uvicorn.run(self.asgi(), host=self.host, port=self.port, log_level="warning", access_log=False)
