"""The administrators' dashboard: each figure named for what it counts."""

from marketplace.extensions import db
from marketplace.models import QpvStatus, Role


def test_company_counts_say_what_they_count(client, auth, make_user, make_supplier):
    for _ in range(3):  # referenced companies without an entrepreneur account (imported, demo)
        company = make_supplier()
        company.owner_id = None
    make_supplier(qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")
    db.session.commit()
    auth.login_as(make_user(Role.ADMIN))
    html = " ".join(client.get("/admin/").get_data(as_text=True).split())
    assert "4</span> entreprises référencées, dont 1 avec un compte entrepreneur" in html
    assert "entreprises inscrites" not in html
    assert "1</span> QPV à vérifier" in html
    home = " ".join(client.get("/").get_data(as_text=True).split())
    assert "4</span> entreprises référencées" in home  # the same figure as the home page
