"""WSGI entry point: gunicorn wsgi:app"""

from collab import create_app

app = create_app()
