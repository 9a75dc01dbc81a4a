"""Every cost comes from the catalogue data: change a price in the data and the estimate moves."""

import re
import shutil
from pathlib import Path

from agilab_lab.agents.catalogue import default_catalogue, load_catalogue
from agilab_lab.agents.critics import cost_review
from agilab_lab.agents.planner import make_plan

from .designer_samples import FORECAST, FRAUD

DATA = Path(__file__).resolve().parents[2] / "agilab_lab" / "agents" / "data"


def test_instance_priced_component_follows_the_documented_formula():
    catalogue = default_catalogue()
    result = make_plan(FRAUD, catalogue)
    serve = result.plan.component("serve")
    option = catalogue.get(serve.option_id)
    units = max(option.cost.min_units, -(-2000 // int(option.cost.rps_per_unit)))
    expected = units * 730 * option.cost.unit_price_usd * catalogue.multiplier("aws", "eu-west-1")
    assert serve.monthly_usd == round(expected, 2)
    assert option.price_date in serve.sizing["cost_basis"]


def test_doubling_a_catalogue_price_doubles_that_line_and_nothing_else(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    gcp = data / "catalogue" / "gcp.toml"
    text = gcp.read_text()
    assert 'unit = "n1-standard-8 training-hour", unit_price_usd = 0.437' in text
    gcp.write_text(text.replace('unit_price_usd = 0.437', 'unit_price_usd = 0.874'))
    base = cost_review(make_plan(FORECAST, default_catalogue()), FORECAST, default_catalogue()).estimate
    changed_catalogue = load_catalogue(data)
    changed = cost_review(make_plan(FORECAST, changed_catalogue), FORECAST, changed_catalogue).estimate
    before = {line.capability: line.monthly_usd for line in base.breakdown}
    after = {line.capability: line.monthly_usd for line in changed.breakdown}
    assert after["train"] == round(before["train"] * 2, 2)
    assert {k: v for k, v in after.items() if k != "train"} == {k: v for k, v in before.items() if k != "train"}


def test_every_dollar_figure_in_the_report_is_a_catalogue_figure():
    from agilab_lab.agents import policy
    from agilab_lab.agents.critics import technical_review
    from agilab_lab.agents.sections import build_context, report_markdown, write_sections

    catalogue = default_catalogue()
    result = make_plan(FRAUD, catalogue)
    cost = cost_review(result, FRAUD, catalogue).estimate
    tech = technical_review(result, FRAUD, catalogue)
    report = policy.evaluate(FRAUD, result.plan, cost, tech.latency_budget, catalogue)
    context = build_context(FRAUD, result.plan, result.demand, cost, tech, report, result.assumptions, {})
    markdown = report_markdown("t", write_sections(context, [])[0])
    allowed = {round(cost.monthly_usd), round(FRAUD.budget_monthly_usd)}
    allowed |= {round(line.monthly_usd) for line in cost.breakdown}
    allowed |= {round(a.monthly_usd) for c in result.plan.components for a in c.alternatives if a.monthly_usd}
    prices = {o.cost.unit_price(o.provider if o.provider != "oss" else "aws") for o in catalogue.options}
    prices |= {o.cost.base_monthly_usd for o in catalogue.options}
    from agilab_lab.agents.overheads import load_overheads  # the overhead lines' own price table

    prices |= {v for table in load_overheads().values() for line in table.lines
               for v in (line.unit_price_usd, line.base_monthly_usd)}
    for figure in re.findall(r"\$([\d,]+(?:\.\d+)?)", markdown):
        value = float(figure.replace(",", ""))
        assert round(value) in allowed or value in prices, f"${figure} is not from the catalogue"
