"""Block Kit as a terminal shows it: the text a person reads, nothing of the JSON."""

from typing import Any

import pytest

from standin.transcript import Names, render_block, render_message, render_mrkdwn

NAMES = Names(users={"U0ADA": "ada", "U0BEN": "ben"}, channels={"C0DEMO": "onboarding"})


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(
    ("mrkdwn", "shown"),
    [
        ("*bold* and _italic_ stay readable", "*bold* and _italic_ stay readable"),
        ("<@U0ADA> and <@U0BEN|benjamin>", "@ada and @ben"),
        ("<@U9|someone> or <@U9>", "@someone or @U9"),
        ("in <#C0DEMO> and <#C9|general>", "in #onboarding and #general"),
        ("<!here> <!channel>", "@here @channel"),
        ("<!subteam^S1|@legal> at <!date^1700000000^{date}|14 Nov>", "@legal at 14 Nov"),
        (
            "<https://example.com|the docs>, <https://example.com>",
            "the docs (https://example.com), https://example.com",
        ),
        ("%C&amp;A &lt;step&gt;", "%C&A <step>"),
        ("&amp;lt; is how you write &lt;", "&lt; is how you write <"),
        (":white_check_mark: done :not_an_emoji: 10:30:45", "✅ done :not_an_emoji: 10:30:45"),
    ],
)
def test_mrkdwn_reads_as_plain_text(mrkdwn: str, shown: str) -> None:
    assert render_mrkdwn(mrkdwn, NAMES) == shown


@pytest.mark.parametrize(
    ("block", "lines"),
    [
        (
            {"type": "header", "text": {"type": "plain_text", "text": "Cycle 1"}},
            ["Cycle 1", "───────"],
        ),
        (section("one\ntwo"), ["one", "two"]),
        (
            section("```\n#  Step   %C&amp;A\n1  Review  70%\n```"),
            ["#  Step   %C&A", "1  Review  70%"],
        ),
        (section("```inline code```"), ["inline code"]),
        (
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*a*"},
                    {"type": "plain_text", "text": "<b>"},
                ],
            },
            ["*a*", "<b>"],
        ),
        (
            {
                **section("Open the form"),
                "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Go"}},
            },
            ["Open the form", "[Go]"],
        ),
        (
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Enter my timings"}},
                    {
                        "type": "static_select",
                        "placeholder": {"type": "plain_text", "text": "Step"},
                    },
                ],
            },
            ["[Enter my timings]  [Step ▾]"],
        ),
        (
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "By <@U0ADA>"},
                    {"type": "plain_text", "text": "today"},
                ],
            },
            ["· By @ada", "· today"],
        ),
        ({"type": "divider"}, ["─" * 24]),
        ({"type": "image", "image_url": "https://x", "alt_text": "a chart"}, ["[image: a chart]"]),
        (
            {
                "type": "rich_text",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "hi"}]}
                ],
            },
            ["hi"],
        ),
    ],
)
def test_each_block_kind_has_its_lines(block: dict[str, Any], lines: list[str]) -> None:
    assert render_block(block, NAMES) == lines


def test_a_message_without_blocks_shows_its_fallback_text() -> None:
    assert render_message({"text": "Hi <@U0BEN> &amp; all"}, NAMES) == ["Hi @ben & all"]


def test_a_message_with_blocks_shows_the_blocks_not_the_fallback() -> None:
    message = {"text": "fallback", "blocks": [section("from the blocks")]}

    assert render_message(message, NAMES) == ["from the blocks"]


def test_text_wraps_at_the_width_but_code_and_long_words_stay_whole() -> None:
    code = "1  Contract review    2 d    3 h    2.1 d    70%    2"
    text = f"• the first item is long enough to wrap twice\n```\n{code}\n```\nhttps://example.com/a/very/long/link"

    lines = render_message({"blocks": [section(text)]}, width=20)

    assert lines == [
        "• the first item is",
        "  long enough to",
        "  wrap twice",
        code,
        "https://example.com/a/very/long/link",
    ]


def test_long_context_lines_wrap_under_their_prefix() -> None:
    block = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Answered by 4: @ada, @ben, @chloe"}],
    }

    assert render_block(block, NAMES, width=16) == ["· Answered by 4:", "  @ada, @ben,", "  @chloe"]


def test_color_bolds_headers_and_dims_context() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "Hi"}}
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "note"}]}

    assert render_block(header, NAMES, color=True)[0] == "\x1b[1mHi\x1b[0m"
    assert render_block(context, NAMES, color=True) == ["\x1b[2m· note\x1b[0m"]
    assert "\x1b" not in "".join(render_block(context, NAMES))
