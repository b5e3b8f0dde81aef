"""Submit a form exactly as a page rendered it, as someone who clicks the button without reading."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "radio", "checkbox") or tag == "input" and a.get("type") in ("radio", "checkbox") and "checked" in a and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def form_on(page: str, action_ends: str, having: str | None = None) -> dict:
    """The first form whose action ends with ``action_ends`` (and that has the field ``having``):
    its action and the values it would send."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        if form["action"].endswith(action_ends) and (having is None or having in form["fields"]):
            fields = dict(form["fields"])
            # A browser drops the one newline that follows <textarea>.
            return {"action": form["action"], "fields": {k: v[1:] if v.startswith("\n") else v for k, v in fields.items()}}
    raise AssertionError(f"no form posting to …{action_ends}")
