"""Security headers on every answer (pages, errors, redirects, static files, the JSON API).

The Content-Security-Policy allows scripts and styles from this site's own files only: no inline
`<script>`, no `onclick=`, no `style=` attribute (put them in static/js and static/css/app.css). Pico's
icons are `data:` images inside its stylesheet, hence `img-src 'self' data:`.
"""

from flask import current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Features this site never uses, refused to the page and to anything it might embed.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def set_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if hsts := current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        response.headers.setdefault("Strict-Transport-Security", hsts)
    if _signed_in_page():
        # A shared computer's back button or a proxy must not show someone's private pages.
        response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in_page() -> bool:
    # Static files are the same for everyone (and looking up the user for each would cost a query).
    return request.endpoint != "static" and current_user.is_authenticated


def init_app(app) -> None:
    app.after_request(set_security_headers)
