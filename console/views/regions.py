"""Region sheets (Tool 3): one printable page per region from the same data the assistant
answers with, each figure with its source."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, g, render_template
from sqlalchemy import select

from actions.regions import density_figure
from app.db import session_scope
from app.models import Region
from app.organisations import organisations_in_region
from app.regions import region_profile
from console.accounts import login_required

blueprint = Blueprint("regions", __name__)


@blueprint.route("/regions")
@login_required
def index():
    with session_scope() as s:
        regions = list(s.scalars(select(Region).order_by(Region.name)))
        s.expunge_all()
    return render_template("regions.html", regions=regions)


@blueprint.route("/regions/<code>")
@login_required
def sheet(code: str):
    with session_scope() as s:
        profile = region_profile(s, code)
        if profile is None:
            abort(404)
        organisations = organisations_in_region(s, code)
    # The candidates' card's density wording: never "0 hab./km²" for a sparse place.
    density = partial(density_figure, language=g.lang)
    return render_template("region_sheet.html", profile=profile, organisations=organisations[:8], density=density)
