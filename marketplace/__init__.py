"""The inclusive-purchasing marketplace: Flask application factory."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        from .validators import MAX_ID

        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config=None) -> Flask:
    """Build the application.

    ``config`` may be a Config class or instance, or a mapping of overrides applied on top of the
    default ``Config`` (tests pass ``TestingConfig`` plus overrides).
    """
    from . import cli, errors, i18n, ratelimits, security
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .auth.access import init_login
    from .buyers import bp as buyers_bp
    from .config import Config
    from .consortia import bp as consortia_bp
    from .conversations import bp as conversations_bp
    from .events import bp as events_bp
    from .events import participation_bp
    from .extensions import csrf, db, limiter, migrate
    from .jobs import bp as jobs_bp
    from .jobs import init_app as init_jobs
    from .main import bp as main_bp
    from .members import bp as members_bp
    from .notifications import bp as notifications_bp
    from .opportunities import bp as opportunities_bp
    from .suppliers import bp as suppliers_bp

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    if config is None:
        app.config.from_object(Config())
    elif isinstance(config, dict):
        app.config.from_object(Config())
        app.config.update(config)
    else:
        app.config.from_object(config() if isinstance(config, type) else config)

    # Ids beyond MAX_ID (INTEGER columns) are no row's: such URLs are simply not found, never a database error.
    app.url_map.converters["int"] = BoundedIntConverter
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    ratelimits.warn_if_not_shared(app)
    init_login(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    init_jobs(app)

    for blueprint in (main_bp, auth_bp, suppliers_bp, buyers_bp, events_bp, admin_bp, api_bp, notifications_bp,
                      opportunities_bp, account_bp, members_bp, conversations_bp, jobs_bp, consortia_bp,
                      participation_bp):
        app.register_blueprint(blueprint)

    from . import models  # noqa: F401  (registers the mappers before the first request)

    return app


def _migrations_dir():
    from .config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"
