"""Money for the risk-and-reward (pain/gain) model: ``Decimal`` end to end, rounded once.

Every amount that comes in goes through :func:`money` or :func:`percent`, which refuse a
``float`` (a float cannot hold 0.10 exactly, and pennies would drift). The gain or pain pool
is rounded to whole pennies once; it is then split between members by the largest-remainder
method (:func:`allocate`), so the members' shares always add up to the pool exactly.

Where a member's pain is capped, the part of its share above the cap is not passed to the
other members: it is carried by the commissioning budget, and shown as its own line.
Gain withheld by the key-result-area rule is kept by the commissioners, also shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from collab.errors import DomainError
from collab.value.models import GainRule

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)
#: Enough digits that no intermediate result is rounded before the one rounding we mean.
_PRECISION = 60


class FloatInMoney(TypeError):
    """A float reached the money code: a bug, never a person's mistake."""


def money(value: Any) -> Decimal:
    """An amount of money as a Decimal (int, str or Decimal in; never a float)."""
    if isinstance(value, float | bool):
        raise FloatInMoney(f"money must be Decimal, int or str, not {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        result = Decimal(value)
    else:
        raise FloatInMoney(f"money must be Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise DomainError("Enter an amount of money")
    return result


percent = money


def round_pennies(value: Decimal) -> Decimal:
    """The one rounding: to whole pennies, half to even (banker's rounding)."""
    return money(value).quantize(PENNY, rounding=ROUND_HALF_EVEN)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole pennies) in proportion to ``weights``; the parts add up to ``total`` exactly.

    Each part gets the whole pennies of its exact share; the pennies left over go one each to
    the parts with the largest fractions left over (ties: the earlier part). Weights may be
    zero; they must not all be zero unless the total is zero.
    """
    total = money(total)
    weights = [percent(w) for w in weights]
    if total != total.quantize(PENNY):
        raise ValueError("allocate needs whole pennies; round the total first")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if not weights:
        if total:
            raise ValueError("nothing to share between")
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        if total:
            raise ValueError("every weight is zero")
        return [Decimal("0.00") for _ in weights]
    sign = -1 if total < 0 else 1
    pennies = int(abs(total) / PENNY)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        exact = [Decimal(pennies) * w / weight_sum for w in weights]
        floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
        leftovers = [e - f for e, f in zip(exact, floors, strict=True)]
    left = pennies - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-leftovers[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(sign * p) * PENNY).quantize(PENNY) for p in floors]


@dataclass(frozen=True)
class Member:
    """One member's terms in the model (shares in percent)."""

    key: int
    name: str
    gain_share: Decimal
    pain_share: Decimal
    pain_cap: Decimal | None
    contract_value: Decimal

    def __post_init__(self) -> None:
        for name in ("gain_share", "pain_share", "contract_value"):
            object.__setattr__(self, name, money(getattr(self, name)))
        if self.pain_cap is not None:
            object.__setattr__(self, "pain_cap", money(self.pain_cap))


@dataclass(frozen=True)
class KraStanding:
    """How the key result areas stand: how many there are, meet their target, are below minimum."""

    total: int = 0
    met: int = 0
    below_minimum: int = 0

    def __post_init__(self) -> None:
        for name in ("total", "met", "below_minimum"):
            value = getattr(self, name)
            if isinstance(value, float | bool) or not isinstance(value, int):
                raise FloatInMoney(f"{name} must be a whole number")
        if not (0 <= self.met <= self.total and 0 <= self.below_minimum <= self.total):
            raise DomainError("The numbers of key result areas met and below minimum must be between 0 and the total")
        if self.met + self.below_minimum > self.total:
            raise DomainError("A key result area cannot both meet its target and be below its minimum")


@dataclass(frozen=True)
class MemberResult:
    member: Member
    gain: Decimal
    pain: Decimal
    #: True when the cap stopped this member's pain.
    capped: bool = False

    @property
    def net(self) -> Decimal:
        """Positive: paid to the member; negative: the member carries it."""
        return self.gain - self.pain

    @property
    def share_of_contract(self) -> Decimal | None:
        """The net result as a percentage of the contract value (for display, one decimal place)."""
        if not self.member.contract_value:
            return None
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            value = self.net * HUNDRED / self.member.contract_value
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Result:
    target: Decimal
    actual: Decimal
    rule: GainRule
    kras: KraStanding
    #: Under budget: the saving; over budget: zero.
    gain_pool: Decimal
    gain_paid: Decimal
    gain_withheld: Decimal
    #: Over budget: the overrun; under budget: zero.
    pain_pool: Decimal
    pain_shared: Decimal
    pain_above_caps: Decimal
    members: list[MemberResult] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    @property
    def under_budget(self) -> bool:
        return self.actual < self.target


def check_shares(members: Sequence[Member]) -> None:
    """Gain shares and pain shares must each add up to exactly 100%; caps and values not negative."""
    if not members:
        raise DomainError("Add at least one member's shares")
    for m in members:
        if not (0 <= m.gain_share <= HUNDRED and 0 <= m.pain_share <= HUNDRED):
            raise DomainError(f"{m.name}: shares must be between 0% and 100%")
        if m.pain_cap is not None and m.pain_cap < 0:
            raise DomainError(f"{m.name}: the pain cap cannot be negative")
        if m.contract_value < 0:
            raise DomainError(f"{m.name}: the contract value cannot be negative")
    gain = sum((m.gain_share for m in members), Decimal(0))
    pain = sum((m.pain_share for m in members), Decimal(0))
    if gain != HUNDRED:
        raise DomainError(f"The shares of gain add up to {gain.normalize():f}%. They must add up to 100%.", field="shares")
    if pain != HUNDRED:
        raise DomainError(f"The shares of pain add up to {pain.normalize():f}%. They must add up to 100%.", field="shares")


def gain_factor(rule: GainRule, kras: KraStanding) -> tuple[Decimal, str]:
    """How much of a saving is paid out under the rule (0 to 1), and why, in words."""
    gate = rule in (GainRule.GATE, GainRule.GATE_AND_SCALED)
    scaled = rule in (GainRule.SCALED, GainRule.GATE_AND_SCALED)
    if gate and kras.below_minimum:
        n = kras.below_minimum
        return Decimal(0), (
            f"No gain is paid: {n} key result area{' is' if n == 1 else 's are'} below the minimum acceptable standard."
        )
    if scaled and kras.total:
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            factor = Decimal(kras.met) / Decimal(kras.total)
        return factor, f"{kras.met} of {kras.total} key result areas met their target, so that share of the saving is paid."
    return Decimal(1), "The whole saving is shared."


def share_out(target: Decimal, actual: Decimal, members: Sequence[Member], rule: GainRule,
              kras: KraStanding) -> Result:
    """Each member's gain or pain for an actual cost against the target outcome cost."""
    target, actual = money(target), money(actual)
    if target <= 0:
        raise DomainError("The target outcome cost must be more than £0", field="target")
    if actual < 0:
        raise DomainError("The actual cost cannot be negative", field="actual")
    if not isinstance(kras, KraStanding):
        raise TypeError("kras must be a KraStanding")
    rule = GainRule(rule)
    check_shares(members)
    why: list[str] = []
    if actual < target:
        gain_pool = round_pennies(target - actual)
        factor, reason = gain_factor(rule, kras)
        why.append(reason)
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            exact_paid = gain_pool * factor
        gain_paid = round_pennies(exact_paid)
        gains = allocate(gain_paid, [m.gain_share for m in members])
        results = [MemberResult(m, g, Decimal("0.00")) for m, g in zip(members, gains, strict=True)]
        return Result(target, actual, rule, kras, gain_pool, gain_paid, gain_pool - gain_paid,
                      Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), results, why)
    pain_pool = round_pennies(actual - target)
    shares = allocate(pain_pool, [m.pain_share for m in members])
    results = []
    for m, share in zip(members, shares, strict=True):
        if m.pain_cap is not None and share > m.pain_cap:
            results.append(MemberResult(m, Decimal("0.00"), round_pennies(m.pain_cap), capped=True))
        else:
            results.append(MemberResult(m, Decimal("0.00"), share))
    shared = sum((r.pain for r in results), Decimal("0.00"))
    above = pain_pool - shared
    if pain_pool == 0:
        why.append("The actual cost is exactly the target: there is no gain and no pain.")
    elif above:
        names = ", ".join(r.member.name for r in results if r.capped)
        why.append(f"The overrun is shared by the pain shares; {names} reached a cap, "
                   "and the part above the caps is carried by the commissioning budget.")
    else:
        why.append("The overrun is shared by the pain shares; no member reached its cap.")
    return Result(target, actual, rule, kras, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
                  pain_pool, shared, above, results, why)


def worked_examples(target: Decimal, members: Sequence[Member], rule: GainRule,
                    kra_total: int = 6) -> list[tuple[str, Result]]:
    """The four cases every member should see before signing (the issue's worked examples)."""
    target = money(target)
    total = max(kra_total, 1)
    all_met = KraStanding(total=total, met=total)
    one_below = KraStanding(total=total, met=total - 1, below_minimum=1)
    ten_percent = round_pennies(target / 10)
    # The overrun at which each capped member's share reaches its cap.
    thresholds = [round_pennies(m.pain_cap * HUNDRED / m.pain_share)
                  for m in members if m.pain_cap is not None and m.pain_share > 0]
    within = round_pennies(target / 20)
    past = round_pennies(target / 4)
    if thresholds:
        # A pound below the first cap (so no share can reach it), a pound past it.
        within = min(within, max(min(thresholds) - 1, PENNY))
        past = max(past, min(thresholds) + 1)
    return [
        ("Under budget by 10%, every key result area met", share_out(target, target - ten_percent, members, rule, all_met)),
        ("Under budget by 10%, one key result area below its minimum",
         share_out(target, target - ten_percent, members, rule, one_below)),
        ("Over budget, within every cap", share_out(target, target + within, members, rule, all_met)),
        ("Over budget, past a cap", share_out(target, target + past, members, rule, all_met)),
    ]
