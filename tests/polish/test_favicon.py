"""Browsers ask for /favicon.ico on every site: Collab answers with its own icon, not a 404."""

from __future__ import annotations

import struct

from scripts.make_favicon import ico


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    reserved, kind, count = struct.unpack("<HHH", response.data[:6])
    assert (reserved, kind, count) == (0, 1, 2)  # an icon file holding two sizes
    assert response.data == ico()  # the file is what scripts/make_favicon.py draws


def test_pages_name_the_icons(client):
    page = client.get("/accessibility").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32">' in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and b"<svg" in svg.data
