"""`vsm-bot demo`, run as a person would: no workspace, no configuration, a stray .env around."""

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot.demo import story
from standin.player import Answer, Click
from tests.support.botproc import run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One run of the demo in a directory whose .env (and environment) would break the bot."""
    where = tmp_path_factory.mktemp("demo-cwd")
    (where / ".env").write_text("SLACK_BOT_TOKEN=not-a-token\nDATABASE_URL=mysql://nowhere/db\n")
    scratch = tmp_path_factory.mktemp("demo-tmp")
    result = run_cli(
        ["demo"], {"LOG_LEVEL": "shouting", "TMPDIR": str(scratch)}, cwd=where, timeout=180
    )
    return result, scratch


def test_the_demo_runs_through_without_a_traceback(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, _ = demo

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_the_baseline_summary_shows_the_worked_example(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    baseline = out[out.index("Customer onboarding · cycle 1 summary") :]

    for line in (
        "*Lead time:* 12.5 d\n",
        "*Process time:* 11.3 h\n",
        "*Activity ratio:* 3.8%\n",
        "*Rolled %C&A:* 35.2%\n",
        "This is the baseline",
        "Answered by 6: @ada, @ben, @chloe, @dev, @elena, @farid",
    ):
        assert line in baseline
    assert (
        "*Bottleneck:* step 4 Data migration — longest wait 5 d; 42.1% of lead time is at this "
        "step."
    ) in flat(baseline)


def test_the_before_after_summary_and_compare_show_the_improvement(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    after = out[out.index("cycle 2 · After migration templates summary") :]

    # Before → after, always together; the change from the numbers as shown (12.5 → 7.3 is
    # −41.6%); a percentage's change in points, never +46.1%.
    assert "*Lead time:* 12.5 d → 7.3 d (−41.6% vs cycle 1, 🟢 better)" in after
    assert "*Rolled %C&A:* 35.2% → 51.4% (+16.2 pts vs cycle 1, 🟢 better)" in after
    assert "*Activity ratio:* 3.8% → 4.7% (+0.9 pts vs cycle 1, 🟢 better)" in after
    assert (
        "*Moved lead time most since cycle 1:* step 4 Data migration, 5.3 d → 2.1 d (−3.2 d), "
        "mostly its wait: 5 d → 2 d."
    ) in flat(after)
    compare = out[out.index("Customer onboarding · cycle 1 → cycle 2") :]
    assert "*Lead time:* 12.5 d → 7.3 d (−41.6% vs cycle 1, 🟢 better)" in compare
    assert "*Rolled %C&A:* 35.2% → 51.4% (+16.2 pts vs cycle 1, 🟢 better)" in compare
    assert "4. Data migration: 5.3 d → 2.1 d (−60.4%)" in compare


def flat(text: str) -> str:
    """The text with its line wrapping undone, so a wrapped sentence reads as one."""
    return " ".join(text.split())


def test_the_baseline_summary_shows_the_survey_per_question_added_up(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    baseline = flat(out[out.index("cycle 1 summary") : out.index("Closed cycle 1 of")])

    # The baseline asks before any improvement exists: about those we will choose.
    for line in (
        "*Are people ready?* (readiness survey, 1–5)",
        "1. I understand why this value stream needs to change. — mean *4.3*, 100% agree, "
        "3 answers",
        # Three typed scores and Dev's click.
        "2. I expect the improvements we will choose to be the right fix for this value "
        "stream. — mean *2.8*, 0% agree, 4 answers ⚠️ *barrier*",
        "6. I can count on our leaders to back the improvements we will choose. — mean *3.0*, "
        "33.3% agree, 3 answers ⚠️ *barrier*",
    ):
        assert line in baseline
    survey = flat(out[: out.index("cycle 1 summary")])
    assert "*Are we ready for the improvements we will choose?*" in survey
    assert "proposed" not in survey + baseline


def test_the_second_summary_reviews_the_improvement_shows_the_target_and_the_survey_change(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    after = flat(out[out.index("After migration templates summary") : out.index("/vsm compare")])

    assert (
        "*Did what we changed work?* • *#1 Migration template filled in at signing* "
        "(Data migration): predicted `wait -3d`, measured 5 d → 2 d (−3 d) — ✅ worked as "
        "predicted"
    ) in after
    # (12.5 − 7.3) / (12.5 − 5) of the way, of the numbers as shown.
    assert (
        "*How far to the future state?* • Lead time → 5 d: 12.5 d → 7.3 d since the baseline, "
        "69.3% of the way, on pace"
    ) in after
    # Later cycles ask about the improvements under way; the answers compare with the
    # baseline's: 2.75 → 4.33 reads 2.8 → 4.3, so +1.5.
    assert "*Are people ready?* (readiness survey, 1–5; changes since cycle 1)" in after
    assert (
        "2. I think the improvements under way are the right fix for this value stream. — "
        "mean 2.8 → *4.3* (+1.5), 0% → 100% agree (+100 pts), 3 answers"
    ) in after
    assert (
        "1. I understand why this value stream needs to change. — mean 4.3 → *4.7* (+0.4), "
        "100% → 100% agree (±0 pts), 3 answers"
    ) in after
    assert "barrier" not in after
    assert after.index("Did what we changed work?") < after.index("Are people ready?")


def test_the_story_sets_a_target_moves_an_improvement_on_and_ranks_the_next(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = flat(demo[0].stdout)

    assert "Target set for *Customer onboarding*: • Lead time → 5 d: now 12.5 d" in out
    assert "*#1* of *Customer onboarding*: proposed → *doing*." in out
    assert "*#1* of *Customer onboarding*: doing → *done*." in out
    ranked = out[out.index("best bet first") :]
    assert ranked.index("*#2 Standard contract for small customers*") < ranked.index(
        "*#3 Go-live checklist in the ticket*"
    )


def test_nobody_s_survey_score_can_be_read_from_the_transcript(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    moves = [move for scene in story(date.today()) for move in scene.moves]
    typed = [m for m in moves if isinstance(m, Answer) and m.text.startswith("survey")]
    clicks = [m for m in moves if isinstance(m, Click) and m.block_id.startswith("survey_")]
    assert len(typed) >= 6
    assert clicks
    assert all(m.private for m in typed + clicks)

    # What people typed shows as dots; the bot's own example, `survey 4 5 3 4 4 5`, is no one's.
    shown = re.findall(r"^@\w+ in the thread:\n {4}(survey\b.*)$", out, re.MULTILINE)
    assert shown == ["survey • • • • • •"] * len(typed)
    assert {re.sub(r"\s+", " ", m.text) for m in typed}.isdisjoint(
        re.findall(r"survey(?: [1-5])+", out)
    )
    assert "survey 4 5 3 4 4 5" not in {m.text for m in typed}
    # Which button Dev clicked, and the note only Dev sees, keep the score to themselves.
    assert "@dev clicks [•] in the thread, under:" in out
    assert "Noted your • for" in out
    assert not re.search(r"Noted your \d", out)
    assert not re.search(r"clicks \[\d\]", out)


def test_the_transcript_shows_who_typed_what_and_what_the_bot_did(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout

    assert '@sam in #onboarding:\n    /vsm new "Customer onboarding"' in out
    assert "vsm-bot → @sam (only you):" in out
    assert "[Enter my timings]" in out
    assert "vsm-bot reacts ✅ to @chloe's message" in out  # no step given: her only step
    assert "@elena I could not read this line" in out
    assert "@elena edits that message to:" in out
    assert "<@" not in out
    assert "&amp;" not in out
    assert "\x1b[" not in out  # no colours when the output is not a terminal


def test_the_demo_leaves_nothing_behind_but_its_pictures(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, scratch = demo

    [folder] = list(scratch.iterdir())
    said = re.search(
        r"The maps of both cycles and the trend, drawn by the bot: (\S+)", result.stdout
    )
    assert said is not None, result.stdout[-500:]
    assert Path(said[1]) == folder
    pictures = sorted(path.name for path in folder.iterdir())
    assert pictures == ["map-cycle-1.png", "map-cycle-2.png", "trend.png"]
    for picture in folder.iterdir():
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_story_asks_what_value_means_why_work_waits_and_looks_across_streams(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = flat(demo[0].stdout)
    after = out[out.index("Customer onboarding · cycle 2 · After migration templates summary") :]

    assert "🤔 *Why work waits:* decision 28.6% (2 d, 1 step) · batch 28.6% (2 d, 1 step)" in after
    assert "⚖️ *Decision points:* step 1 Contract review (2 d)" in after
    assert "*Alignment between layers:* *26.7%*" in after
    assert "*Most disputed:* Revenue — Leadership 40.0 points, Operations 0.0" in after
    # Nobody's points or layer can be read from the transcript: only totals per layer.
    assert "@ada fills in “What value means” and saves: Your layer: •" in out
    assert not re.search(r"points: \d", out)
    assert "Leadership ↔ Operations 26.7%" in after
    across = out[out.index("Across streams") :]
    assert "value alignment: 26.7% (run 1) · waiting for decisions: 28.6% of the wait" in across
    assert "1. *Customer onboarding #2 Standard contract for small customers*" in across
    assert (
        "⚡ *Contract renewals does it much faster:* 2 d wait in Customer onboarding, 4 h in "
        "Contract renewals"
    ) in across


def test_teams_and_hand_offs_show_in_the_card_and_where_the_second_summary_says_work_waits(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = flat(demo[0].stdout)
    card = out[out.index('/vsm team "Data" vsm-bot') : out.index("Four weeks later")]

    # Data's Team API card, asked for after the types and modes were set.
    for line in (
        "*Type:* complicated-subsystem",
        "*Mission:* Customer data moved in, complete and correct",
        "*People:* @elena",
        "*Works on:* • Customer onboarding: step 4 Data migration",
        "*Hands work to:* • → *Operations* — Customer onboarding, into step 5 Go-live check",
        "*Receives work from:* • ← *Success* (X-as-a-Service) — Customer onboarding, into step 4 "
        "Data migration",
    ):
        assert line in card
    assert (
        "Hand-off into step 3 of *Customer onboarding* (Account setup → Kickoff call): "
        "collaboration (was no mode agreed). · Operations → Success · cross-team"
    ) in out
    # The baseline closed before any of it: its finding names no mode.
    baseline = out[out.index("cycle 1 summary") : out.index("Closed cycle 1 of")]
    assert (
        ":mag: 83.3% of the wait sits at 4 of 4 cross-team hand-offs. Success → Data waits 5 d "
        "and 60% of what arrives is usable."
    ) in baseline
    after = out[out.index("After migration templates summary") : out.index("/vsm compare")]
    assert (
        "• Cross-team hand-offs: 71.4% of the wait (5 d at 4 of 4) · 83.3% → 71.4% (−11.9 pts "
        "vs cycle 1)"
    ) in after
    assert (
        "By interaction mode: collaboration: 1 hand-off, wait 1 d, median %C&A 98% · "
        "X-as-a-Service: 1 hand-off, wait 2 d, median %C&A 85% · no mode agreed: 2 hand-offs, "
        "wait 2 d, median %C&A 94%"
    ) in after
    assert (
        ":mag: 71.4% of the wait sits at 4 of 4 cross-team hand-offs. Success → Data "
        "(X-as-a-Service) waits 2 d and 85% of what arrives is usable."
    ) in after
    changed = after[after.index("*What changed in the structure since cycle 1*") :]
    for line in (
        "• hand-off into *Kickoff call*: no mode agreed → collaboration",
        "• hand-off into *Data migration*: no mode agreed → X-as-a-Service",
        "• team *Data*: type not set → complicated-subsystem",
    ):
        assert line in changed
