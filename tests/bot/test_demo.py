"""`vsm-bot demo`, run as a person would: no workspace, no configuration, a stray .env around."""

import subprocess
from pathlib import Path

import pytest

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
        "*Lead time:* 12.5 d",
        "*Process time:* 11.3 h",
        "*Activity ratio:* 3.8%",
        "*Rolled %C&A:* 35.2%",
        "This is the baseline",
        "*Bottleneck:* step 4 Data migration — wait 5 d, 42% of lead time.",
        "Answered by 6: @ada, @ben, @chloe, @dev, @elena, @farid",
    ):
        assert line in baseline


def test_the_before_after_summary_and_compare_show_the_improvement(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    out = demo[0].stdout
    after = out[out.index("cycle 2 · After migration templates summary") :]

    assert "*Lead time:* 7.3 d · −41.1% vs cycle 1 (🟢 better)" in after
    assert "*Rolled %C&A:* 51.4% · +46.1% vs cycle 1 (🟢 better)" in after
    compare = out[out.index("Customer onboarding · cycle 1 → cycle 2") :]
    assert "*Lead time:* 12.5 d → 7.3 d · −41.1% (🟢 better)" in compare
    assert "4. Data migration: 5.3 d → 2.1 d (−59.5%)" in compare


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


def test_the_demo_leaves_nothing_behind(
    demo: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, scratch = demo

    assert list(scratch.iterdir()) == []
