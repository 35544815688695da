"""Alt text for the pictures: plain sentences that state their numbers, within Slack's limit.

The most important numbers come first (totals, bottleneck; first and latest lead time), then
the details one sentence at a time while they fit, then how many were left out. No
matplotlib here: alt text is written wherever the picture's message is built.
"""

from collections.abc import Callable, Sequence

from templates.pictures._words import clip, name_list, one_line
from templates.pictures.data import MODE_LABELS, DigestTrend, MapData, MapStep, TrendData

ALT_TEXT_MAX = 2000  # Slack's limit for an image's alt text
NAME_MAX = 60
TEXT_MAX = 160


def map_alt_text(data: MapData) -> str:
    """What the value stream map shows: totals, bottleneck, then each step while it fits."""
    totals = data.totals
    head = [
        f"Value stream map of {_name(data.stream)}, {_name(data.cycle)}, "
        f"times in {_name(data.basis)}.",
        f"Lead time {totals.lead_time}, process time {totals.process_time}, "
        f"activity ratio {totals.activity_ratio}, rolled %C&A {totals.rolled_ca}.",
    ]
    if totals.partial:
        missing = name_list(totals.missing_steps, "step", longest=NAME_MAX)
        head.append(f"Partial: the totals leave out {missing}.")
    bottleneck = next((step for step in data.steps if step.is_bottleneck), None)
    if bottleneck is not None:
        waiting = f", waiting {bottleneck.wait}" if bottleneck.wait else ""
        head.append(f"Bottleneck: step {bottleneck.position} {_name(bottleneck.name)}{waiting}.")
    head.append(f"Trigger: {_text(data.trigger)}. Customer value: {_text(data.value)}.")
    if any(step.carried_over for step in data.steps):
        head.append("Values marked carried over come from an earlier cycle.")
    if data.segments:
        runs = ", ".join(f"{_name(s.name)} (steps {s.first}–{s.last})" for s in data.segments[:8])
        more = f" and {len(data.segments) - 8} more" if len(data.segments) > 8 else ""
        head.append(f"Segments: {runs}{more}.")
    steps = [_step_sentence(step) for step in data.steps]
    return _fit(head, steps, lambda left: f"{left} more step{'' if left == 1 else 's'} not listed.")


def _step_sentence(step: MapStep) -> str:
    kind = f", {step.team_type} team" if step.team_type else ""
    team = f" ({_name(step.team)}{kind})" if step.team else ""
    wait = _value("wait", step.wait, step.wait_carried)
    process = _value("process time", step.process, step.process_carried)
    ca = _value("%C&A", step.ca, step.ca_carried)
    extra = ""
    if step.handoff_mode or step.handoff_cross_team is not None:
        across = {True: " from another team", False: " within the team", None: ""}
        mode = f" as {MODE_LABELS[step.handoff_mode]}" if step.handoff_mode else ""
        extra += f"; handed over{mode}{across[step.handoff_cross_team]}"
    if step.supports:
        fed = ", ".join(
            _name(feed.name) + (f" (lead time {feed.lead_time})" if feed.lead_time else "")
            for feed in step.supports[:3]
        )
        extra += f"; supported by {fed}"
    return f"Step {step.position} {_name(step.name)}{team}: {wait}, {process}, {ca}{extra}."


def _value(label: str, value: str | None, carried: bool) -> str:
    if value is None:
        return f"no {label}"
    return f"{label} {value}" + (" (carried over)" if carried else "")


def trend_alt_text(data: TrendData) -> str:
    """What the trend shows: the first and latest lead time and the change, then the rest."""
    points = data.points
    if not points:
        return clip(f"Trend of {_name(data.stream)}: no closed cycle yet.", ALT_TEXT_MAX)
    first, last = points[0], points[-1]
    count = "1 closed cycle" if len(points) == 1 else f"{len(points)} closed cycles"
    head = [f"Lead time of {_name(data.stream)} over {count}, in {_name(data.unit)}."]
    if len(points) == 1:
        head.append(f"Cycle {first.cycle}: {_lead(first.lead_text, first.lead)}, the baseline.")
    else:
        change = f" ({_name(data.change)})" if data.change else ""
        head.append(
            f"Baseline cycle {first.cycle}: {_lead(first.lead_text, first.lead)}; "
            f"latest cycle {last.cycle}: {_lead(last.lead_text, last.lead)}{change}."
        )
    if data.target is not None:
        when = f" by {_name(data.target.date_text)}" if data.target.date_text else ""
        head.append(f"Target: {data.target.text}{when}.")
    shares = [
        f"{label} {text}"
        for label, text in (
            ("activity ratio", last.activity_ratio_text),
            ("rolled %C&A", last.rolled_ca_text),
        )
        if text
    ]
    if shares:
        head.append(f"Latest {' and '.join(shares)}.")
    partial = [str(point.cycle) for point in points if point.partial]
    if partial:
        head.append(f"Partial cycles (a step had no value): {', '.join(partial)}.")
    details = [
        f"Improvement #{i.number} {_name(i.title)} shows from cycle {i.cycle}."
        for i in sorted(data.improvements, key=lambda i: (i.cycle, i.number))
    ]
    if len(points) > 2:
        details.append(
            "Lead time per cycle: "
            + "; ".join(f"{p.cycle}: {_lead(p.lead_text, p.lead)}" for p in points)
            + "."
        )
    return _fit(head, details, lambda left: f"{left} more not listed.")


def _lead(text: str, value: float | None) -> str:
    return "no lead time" if value is None else text


def digest_alt_text(items: Sequence[DigestTrend]) -> str:
    """What the digest picture shows: each stream's latest lead time and change while it fits."""
    count = "1 stream" if len(items) == 1 else f"{len(items)} streams"
    head = [f"Lead time per closed cycle for {count}."]
    sentences = []
    for item in items:
        cycles = "1 closed cycle" if len(item.leads) == 1 else f"{len(item.leads)} closed cycles"
        latest = f"latest lead time {item.latest}" if item.latest else "no lead time yet"
        change = f" ({_name(item.change)})" if item.change else ""
        sentences.append(f"{_name(item.stream)}: {latest}{change}, {cycles}.")
    return _fit(head, sentences, lambda left: f"{left} more stream{'' if left == 1 else 's'}.")


def _fit(head: list[str], details: list[str], more: Callable[[int], str]) -> str:
    """`head`, then as many `details` as fit under the limit, then how many were left out."""
    text = clip(" ".join(head), ALT_TEXT_MAX)
    for index, sentence in enumerate(details):
        left = len(details) - index - 1
        tail = f" {more(left)}" if left else ""
        if len(text) + 1 + len(sentence) + len(tail) <= ALT_TEXT_MAX:
            text = f"{text} {sentence}"
            continue
        return clip(f"{text} {more(len(details) - index)}", ALT_TEXT_MAX)
    return text


def _name(text: str) -> str:
    return clip(one_line(text), NAME_MAX)


def _text(text: str) -> str:
    return clip(one_line(text), TEXT_MAX)
