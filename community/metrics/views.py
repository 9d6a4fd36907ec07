"""The owners' dashboard at /admin/metrics and its CSV downloads (owners only; a 404 for
everyone else, from the access package)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from community import access
from community.core.errors import DomainError
from community.metrics.catalogue import build_all, build_report, report_csv
from community.metrics.periods import Period, last_days, parse_period

bp = Blueprint("metrics", __name__, url_prefix="/admin/metrics")


@bp.before_request
def _owners_only() -> None:
    access.check_can_see_metrics(current_user)


def _period() -> tuple[Period, str]:
    """The period asked for, or the last 30 days with the reason the request was refused."""
    try:
        return parse_period(
            request.args.get("period", ""),
            request.args.get("start", ""),
            request.args.get("end", ""),
        ), ""
    except DomainError as error:
        return last_days(30), error.message


@bp.get("")
def dashboard() -> tuple[str, int]:
    period, error = _period()
    return render_template(
        "metrics/dashboard.html",
        period=period,
        period_error=error,
        asked=request.args,
        reports=build_all(period),
    ), 400 if error else 200


@bp.get("/<report>.csv")
def report_download(report: str) -> Response:
    period, error = _period()
    if error:
        return Response(error + "\n", status=400, mimetype="text/plain")
    built = build_report(report, period)
    filename = f"council-{report}-{period.start}-{period.end}.csv"
    return Response(
        report_csv(built),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
