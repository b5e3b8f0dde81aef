"""Pain/gain arithmetic: the worked examples, pennies that add up, caps, the KRA rule, and no floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collab.errors import DomainError
from collab.value import money
from collab.value.models import GainRule
from collab.value.money import FloatInMoney, KraStanding, Member, allocate, share_out, worked_examples

D = Decimal


def members(caps=(None, None, None)) -> list[Member]:
    return [
        Member(1, "Council", D("50"), D("40"), caps[0], D("600000")),
        Member(2, "Mind in Riverside", D("30"), D("35"), caps[1], D("300000")),
        Member(3, "Peer Support", D("20"), D("25"), caps[2], D("100000")),
    ]


ALL_MET = KraStanding(total=6, met=6)


def test_under_budget_with_every_kra_met_shares_the_whole_saving():
    result = share_out(D("1000000"), D("900000"), members(), GainRule.GATE, ALL_MET)
    assert [r.gain for r in result.members] == [D("50000.00"), D("30000.00"), D("20000.00")]
    assert result.gain_withheld == 0
    assert [r.share_of_contract for r in result.members] == [D("8.3"), D("10.0"), D("20.0")]


def test_under_budget_with_one_kra_below_minimum_pays_no_gain_under_the_gate():
    result = share_out(D("1000000"), D("900000"), members(), GainRule.GATE,
                       KraStanding(total=6, met=5, below_minimum=1))
    assert all(r.gain == 0 for r in result.members)
    assert result.gain_withheld == D("100000.00")
    assert "below the minimum" in result.why[0]


def test_scaled_rule_pays_the_share_of_kras_met():
    result = share_out(D("1000000"), D("900000"), members(), GainRule.SCALED, KraStanding(total=6, met=4))
    assert result.gain_paid == D("66666.67")
    assert sum(r.gain for r in result.members) == D("66666.67")
    assert result.gain_paid + result.gain_withheld == result.gain_pool


def test_over_budget_within_caps_shares_the_overrun_by_pain_shares():
    result = share_out(D("1000000"), D("1050000"), members((D("30000"), D("20000"), D("15000"))),
                       GainRule.GATE, ALL_MET)
    assert [r.pain for r in result.members] == [D("20000.00"), D("17500.00"), D("12500.00")]
    assert result.pain_above_caps == 0
    assert not any(r.capped for r in result.members)


def test_over_budget_past_a_cap_leaves_the_rest_with_the_commissioning_budget():
    result = share_out(D("1000000"), D("1200000"), members((None, D("50000"), D("10000"))), GainRule.GATE, ALL_MET)
    assert [r.pain for r in result.members] == [D("80000.00"), D("50000.00"), D("10000.00")]
    assert [r.capped for r in result.members] == [False, True, True]
    assert result.pain_above_caps == D("60000.00")
    assert result.pain_shared + result.pain_above_caps == result.pain_pool


def test_the_four_worked_examples_cover_the_four_cases():
    examples = worked_examples(D("1000000"), members((D("30000"), D("20000"), D("15000"))), GainRule.GATE)
    titles = [t for t, _ in examples]
    assert len(examples) == 4
    under_met, under_below, within, past = (r for _, r in examples)
    assert under_met.gain_paid == D("100000.00")
    assert under_below.gain_paid == 0
    assert within.pain_pool > 0 and within.pain_above_caps == 0
    assert past.pain_above_caps > 0 and any(r.capped for r in past.members)
    assert "past a cap" in titles[3]


def test_shares_must_add_up_to_exactly_one_hundred_percent():
    bad = [Member(1, "A", D("50"), D("50"), None, D(0)), Member(2, "B", D("49.99"), D("50"), None, D(0))]
    with pytest.raises(DomainError, match="gain add up to 99.99%"):
        share_out(D("100"), D("90"), bad, GainRule.NONE, ALL_MET)


@pytest.mark.parametrize("bad", [0.1, 100.0, True])
def test_a_float_never_reaches_the_money_code(bad):
    """Every way in refuses a float (or a bool) outright, instead of rounding it silently."""
    with pytest.raises(FloatInMoney):
        money.money(bad)
    with pytest.raises(FloatInMoney):
        share_out(D("1000"), bad, members(), GainRule.NONE, ALL_MET)
    with pytest.raises(FloatInMoney):
        share_out(bad, D("1000"), members(), GainRule.NONE, ALL_MET)
    with pytest.raises(FloatInMoney):
        Member(1, "A", bad, D("100"), None, D("0"))
    with pytest.raises(FloatInMoney):
        Member(1, "A", D("100"), D("100"), bad, D("0"))
    with pytest.raises(FloatInMoney):
        allocate(D("10.00"), [D(1), bad])
    with pytest.raises(FloatInMoney):
        KraStanding(total=6, met=bad)  # type: ignore[arg-type]


# Properties ----------------------------------------------------------------------------

pennies = st.integers(min_value=0, max_value=10**11).map(lambda p: D(p) / 100)
share_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8).filter(lambda ws: sum(ws) > 0)


def _percentages(weights: list[int]) -> list[Decimal]:
    """Weights as percentages with 4 places that add up to exactly 100 (the last takes the rest)."""
    total = sum(weights)
    shares = [(D(w) * 100 / total).quantize(D("0.0001"), rounding="ROUND_FLOOR") for w in weights]
    shares[-1] += D(100) - sum(shares)
    return shares


@settings(max_examples=300, deadline=None)
@given(total=st.integers(min_value=-10**11, max_value=10**11).map(lambda p: D(p) / 100), weights=share_lists)
def test_allocated_pennies_always_add_up_to_the_total(total, weights):
    parts = allocate(total, [D(w) for w in weights])
    assert sum(parts) == total
    assert all(p == p.quantize(D("0.01")) for p in parts)
    # No part is more than a penny from its exact share.
    exact = [total * w / sum(weights) for w in weights]
    assert all(abs(p - e) < D("0.01") for p, e in zip(parts, exact, strict=True))


@st.composite
def models(draw):
    weights = draw(share_lists)
    pain_weights = draw(st.lists(st.integers(min_value=0, max_value=10**6), min_size=len(weights),
                                 max_size=len(weights)).filter(lambda ws: sum(ws) > 0))
    caps = draw(st.lists(st.one_of(st.none(), pennies), min_size=len(weights), max_size=len(weights)))
    gain, pain = _percentages(weights), _percentages(pain_weights)
    return [Member(i, f"M{i}", g, p, c, D("100000")) for i, (g, p, c) in enumerate(zip(gain, pain, caps, strict=True))]


@st.composite
def kra_standings(draw):
    total = draw(st.integers(min_value=0, max_value=6))
    met = draw(st.integers(min_value=0, max_value=total))
    below = draw(st.integers(min_value=0, max_value=total - met))
    return KraStanding(total=total, met=met, below_minimum=below)


@settings(max_examples=300, deadline=None)
@given(target=pennies.filter(lambda v: v > 0), actual=pennies, ms=models(), rule=st.sampled_from(list(GainRule)),
       kras=kra_standings())
def test_shares_sum_exactly_caps_hold_and_the_kra_rule_applies(target, actual, ms, rule, kras):
    result = share_out(target, actual, ms, rule, kras)
    gains = [r.gain for r in result.members]
    pains = [r.pain for r in result.members]
    # Pennies add up, exactly.
    assert sum(gains) == result.gain_paid
    assert result.gain_paid + result.gain_withheld == result.gain_pool
    assert sum(pains) + result.pain_above_caps == result.pain_pool
    assert result.gain_pool == (target - actual if actual < target else 0)
    assert result.pain_pool == (actual - target if actual > target else 0)
    # Caps hold.
    for r in result.members:
        assert r.gain >= 0 and r.pain >= 0
        if r.member.pain_cap is not None:
            assert r.pain <= r.member.pain_cap
    # The KRA rule.
    gated = rule in (GainRule.GATE, GainRule.GATE_AND_SCALED) and kras.below_minimum > 0
    if gated:
        assert result.gain_paid == 0
    elif rule in (GainRule.SCALED, GainRule.GATE_AND_SCALED) and kras.total:
        exact = result.gain_pool * kras.met / kras.total
        assert abs(result.gain_paid - exact) <= D("0.005")
    else:
        assert result.gain_paid == result.gain_pool
    # Decimal everywhere.
    for value in (*gains, *pains, result.gain_paid, result.pain_above_caps):
        assert type(value) is Decimal
