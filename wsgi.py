"""WSGI entry point: `gunicorn wsgi:app` (production) or `flask --app wsgi run` (development)."""

import os

from marketplace import create_app
from marketplace.config import Config, ProductionConfig

app = create_app(ProductionConfig if os.environ.get("MARKETPLACE_ENV") == "production" else Config)
