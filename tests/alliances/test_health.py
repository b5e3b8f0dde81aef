"""The health check."""

from __future__ import annotations

from sqlalchemy import create_engine


def test_health_check_is_503_when_the_database_cannot_be_reached(app, tmp_path):
    from collab import create_app

    broken = create_engine(f"sqlite:///{tmp_path}/missing/dir/collab.db")
    app = create_app({
        "TESTING": True, "ENGINE": broken, "SECRET_KEY": "x", "MAIL_BACKEND": "memory",
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    data = response.get_json()
    assert data["status"] == "error"
    assert data["database"] == "unreachable"
    assert data["reason"] == "OperationalError"
    broken.dispose()
