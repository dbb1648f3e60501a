"""Tests for decide.workshop.server (links, the token gate) and decide.workshop.views (without a browser)."""
from __future__ import annotations

import shutil

import pytest

from decide.cli import main
from decide.loader import load_model
from decide.store import WorkshopStore
from decide.workshop.server import COOKIE, TokenGate, Workshop, links
from tests.conftest import MODELS

pytest.importorskip("ipywidgets")


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "werkplek.yaml"
    shutil.copy(MODELS / "werkplek.yaml", path)
    return WorkshopStore.open(load_model(path))


def test_links_add_the_model_participants_and_one_facilitator(store):
    first = links(store, lang="en")
    assert list(first.participants) == ["Inkoop", "Informatiemanagement", "Privacy officer"]
    assert list(first.facilitator) == ["Facilitator"]
    text = first.text("http://127.0.0.1:8765", "en")
    for name, token in first.participants.items():
        assert f"http://127.0.0.1:8765/w/{token}" in text
        assert store.authenticate(token).name == name
    again = links(store, lang="en")  # links issued before keep working and are not printed again
    assert again.participants == {} and set(again.earlier) == {"Inkoop", "Informatiemanagement", "Privacy officer",
                                                               "Facilitator"}
    renewed = links(store, new=True, lang="en")
    assert set(renewed.participants) == set(first.participants)
    assert all(store.authenticate(t) is None for t in first.participants.values())
    assert all(store.authenticate(t) is not None for t in renewed.participants.values())
    store.revoke("Inkoop")  # a revoked link stays revoked, also when links are renewed
    assert "Inkoop" not in links(store, new=True).participants and store.person("Inkoop").revoked


def _gate_client(store):
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.testclient import TestClient

    async def page(request):
        return PlainTextResponse("app: " + request.url.path)

    async def ws(websocket):
        await websocket.accept()
        await websocket.send_text("hello")
        await websocket.close()

    app = Starlette(routes=[WebSocketRoute("/jupyter/ws", ws), Route("/{p:path}", page)])
    return TestClient(TokenGate(app, store))


def test_gate_opens_a_page_only_with_a_valid_token_and_sets_its_cookie(store):
    from starlette.websockets import WebSocketDisconnect

    tokens = store.add_participants(["Inkoop"])
    client = _gate_client(store)
    r = client.get("/w/" + tokens["Inkoop"])
    assert r.status_code == 200 and r.text == "app: /w"  # Solara's one route; the token stays in the address
    cookie = r.headers["set-cookie"]
    assert f"{COOKIE}={tokens['Inkoop']}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/static/app.js").text == "app: /static/app.js"  # with the cookie
    with client.websocket_connect("/jupyter/ws") as w:
        assert w.receive_text() == "hello"
    fresh = _gate_client(store)
    for path in ("/static/app.js", "/", "/w/nope", "/w/"):
        r = fresh.get(path)
        assert (r.status_code, r.text) == (403, "403 Forbidden\n")
    with pytest.raises(WebSocketDisconnect):
        with fresh.websocket_connect("/jupyter/ws") as w:
            w.receive_text()
    store.revoke("Inkoop")  # a revoked token closes its cookie's access too
    assert client.get("/static/app.js").status_code == 403
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect("/jupyter/ws") as w:
            w.receive_text()


def test_serve_prints_links_and_warns_when_reachable_on_the_network(store, monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(Workshop, "run", lambda self: ran.append((self.host, self.port)))
    assert main(["workshop", "serve", store.model.path, "--host", "0.0.0.0", "--port", "0", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert "Personal links" in out and out.count("/w/") == 4
    assert "reachable over the network" in err
    assert ran and ran[0][0] == "0.0.0.0" and ran[0][1] > 0
    assert main(["workshop", "serve", store.model.path, "--port", "0", "--participant", "Gast"]) == 0
    out, err = capsys.readouterr()
    assert "Gast" in out and "netwerk" not in err


def test_participant_view_saves_as_they_go_and_shows_hints(store):
    from decide.workshop.views import NO_SCORE, ParticipantView, view_for

    tokens = links(store).participants
    me = store.authenticate(tokens["Inkoop"])
    view = view_for(store, me)
    assert isinstance(view, ParticipantView)
    rows = view.panel.rows
    assert all(r.skip.value for r in rows.values())  # nothing judged yet: every pair open
    # the risk group: a cycle, so the CR is far above 0.10 and hints appear
    for pair, v in {("lock_in", "sovereignty"): 5.0, ("lock_in", "security"): 0.2,
                    ("sovereignty", "security"): 5.0}.items():
        rows[pair].skip.value = False
        rows[pair].slider.value = v
    assert store.judgments("Inkoop") == {("lock_in", "sovereignty"): 5.0, ("lock_in", "security"): 0.2,
                                         ("sovereignty", "security"): 5.0}
    before = view.panel.checks["risk"].cr
    assert before > 0.1 and len(view.panel.hints["risk"].children) >= 1
    assert "Opgeslagen" in view.saved.value
    view.panel.hints["risk"].children[0].children[0].click()  # apply the first hint
    assert view.panel.checks["risk"].cr < before / 10
    assert len(store.audit("Inkoop")) == 3 * 2 + 1  # each pair: opened at 1, then moved; the hint
    # scores with reasoning
    cell = ("us_cloud", "sovereignty")
    view.scores[cell].value = 2.0
    view.reasons[cell].value = "Doorgifte buiten de EER is niet uitgesloten."
    assert store.scores("Inkoop")[cell].value == 2.0
    assert store.scores("Inkoop")[cell].reasoning.startswith("Doorgifte")
    # another participant's view starts empty: nothing of Inkoop's input
    other = view_for(store, store.authenticate(tokens["Informatiemanagement"]))
    assert all(r.skip.value for r in other.panel.rows.values())
    assert all(d.index == 0 and d.value == NO_SCORE for d in other.scores.values())
    # the reveal switch shows the spread without names
    assert other.reveal.value == ""
    store.set_flag("reveal", True)
    other.refresh()
    assert "Spreiding" in other.reveal.value and "Inkoop" not in other.reveal.value
    # a revoked link: the next change is refused with a message, and nothing is stored
    store.revoke("Informatiemanagement")
    row = other.panel.rows[("cost", "risk")]
    row.skip.value = False
    assert "Niet opgeslagen" in other.saved.value and "ingetrokken" in other.saved.value
    assert store.judgments("Informatiemanagement") == {}
    other.refresh()  # an open page of a revoked link shows nothing but that
    assert len(other.widget.children) == 1 and "ingetrokken" in other.widget.children[0].value


def test_facilitator_view_agrees_and_exports(store):
    from decide.workshop.views import FacilitatorView, view_for

    first = links(store)
    fac = view_for(store, store.authenticate(next(iter(first.facilitator.values()))))
    assert isinstance(fac, FacilitatorView)
    model = store.model
    assert "0 / 13" in fac.progress.value and "Inkoop" in fac.progress.value
    for name in first.participants:
        for a, b in store.plan.pairs:
            store.record_judgment(name, a, b, 2 if name == "Inkoop" else "1/2")
    fac.refresh()
    assert "13 / 13" in fac.progress.value and "Groepsresultaat" in fac.group.value
    fac.reveal.value = True
    assert store.flag("reveal")
    store.record_score("Inkoop", "eu_open", "usability", 2)
    store.record_score("Privacy officer", "eu_open", "usability", 4)
    fac.agree_option.value, fac.agree_criterion.value = "eu_open", "usability"
    fac.agree_value.value = 3.0
    fac.agree_button.click()
    assert store.agreed()[("eu_open", "usability")].value == 3.0
    fac.export_mode.value = "triangular"
    r = fac.export()
    assert r is not None and r.same_weights, fac.export_status.value
    m = load_model(r.path)
    assert m.alternative("eu_open").scores["usability"] == {"low": 2, "mode": 3, "high": 4}
    assert m.weights.method == "ahp" and model.weights.method == "direct"
