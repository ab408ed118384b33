"""Thin views of the inclusive-purchasing report, on the buyers' blueprint (imported by buyers/__init__.py)."""

from flask import render_template, request
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from ..spreadsheets import csv_bytes, download
from . import report
from .report_forms import PeriodForm
from .routes import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_form() -> tuple[PeriodForm, bool]:
    form = PeriodForm(formdata=request.args if request.args else None)
    return form, form.validate() if request.args else True


@bp.route("/rapport")
@role_required(Role.BUYER)
def report_page():
    form, valid = _period_form()
    data = report.build_report(current_user, form.period())
    return render_template("buyers/report.html", form=form, report=data, charts=data.charts(),
                           download_args=form.query_args()), 200 if valid else 422


@bp.route("/rapport.csv")
@role_required(Role.BUYER)
def report_csv():
    form, _ = _period_form()
    data = report.build_report(current_user, form.period())
    return download(csv_bytes((), report.csv_rows(data)), "text/csv; charset=utf-8",
                    f"rapport-achats-inclusifs_{data.period.slug}.csv")


@bp.route("/rapport.xlsx")
@role_required(Role.BUYER)
def report_xlsx():
    form, _ = _period_form()
    data = report.build_report(current_user, form.period())
    return download(report.report_xlsx(data), XLSX, f"rapport-achats-inclusifs_{data.period.slug}.xlsx")
