"""Similar work across streams, end to end: `/vsm overlaps` groups steps of different streams
that are the same work, sets their latest numbers side by side and says where one stream does
it much faster."""

from tests.e2e.measuring import HOME, answer, close, open_cycle
from tests.e2e.vsm_commands import define, ok, shown
from tests.support.driver import SlackDriver


def test_the_same_work_is_grouped_and_the_much_faster_stream_named(slack: SlackDriver) -> None:
    define(
        slack, "Onboarding",
        '"Contract review" team:Legal people:<@UANN|ann>',
        '"Account setup" team:Ops people:<@UBO|bo>',
        channel=HOME,
    )  # fmt: skip
    define(
        slack, "Renewals",
        '"Review of contracts" team:legal people:<@URON|ron>',
        '"Setup" team:ops',
        channel=HOME,
    )  # fmt: skip
    define(slack, "Releases", '"Code review" people:<@UDEV|dev>', channel="C2")
    onboarding = open_cycle(slack, "measure onboarding")
    answer(slack, onboarding, "1: wait 2d pt 3h ca 70%", "UANN")
    answer(slack, onboarding, "2: wait 1d pt 1h", "UBO")
    close(slack, "Onboarding")
    renewals = open_cycle(slack, "measure renewals")
    answer(slack, renewals, "1: wait 4h pt 1h ca 90%", "URON")
    close(slack, "Renewals")

    text = shown(ok(slack, "overlaps"))

    lines = [line for line in text.splitlines() if line.strip()]
    start = lines.index("*Contract review* — in 2 streams")
    assert lines[start : start + 4] == [
        "*Contract review* — in 2 streams",
        ":zap: *Renewals does it much faster:* 2 d wait in Onboarding, 4 h in Renewals",
        "• Onboarding, step 1 Contract review (Legal): wait 2 d, process time 3 h, %C&A 70%",
        # `team:legal` names the workspace's team Legal: teams are records, matched ignoring case.
        "• Renewals, step 1 Review of contracts (Legal): wait 4 h, process time 1 h, %C&A 90%"
        " · fastest",
    ]
    start = lines.index("*Account setup* — in 2 streams (same team, related names)")
    assert lines[start + 1 : start + 3] == [
        "• Onboarding, step 2 Account setup (Ops): wait 1 d, process time 1 h, %C&A —",
        "• Renewals, step 2 Setup (Ops): not measured yet",
    ]
    assert "Code review" not in text  # "Contract review" and "Code review" are not the same


def test_without_similar_steps_it_says_so(slack: SlackDriver) -> None:
    define(slack, "Onboarding", '"Contract review"', channel=HOME)
    define(slack, "Releases", '"Code review"', channel=HOME)

    text = shown(ok(slack, "overlaps"))

    assert "No step of one value stream looks like a step of another (2 streams" in text
