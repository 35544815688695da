"""The `/vsm` grammar: text as Slack sends it → an Invocation, or a CommandError to act on."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commands.slash.grammar import COMMAND_NAMES, SPECS, CommandError, parse, specs_for
from commands.slash.specs import CommandSpec, Invocation, OptionSpec, int_arg, word_arg
from commands.slash.tokens import Mention, Option, Quoted, Word, tokenize
from tests.support.usage import USAGE
from vsm.durations import read_span
from vsm.errors import VsmError

HELP = Invocation(("help",))


def usage_of(*path: str) -> str:
    return "\n".join(spec.usage for spec in specs_for(" ".join(path)))


GOOD = [
    # help
    ("", HELP),
    (" \t\n ", HELP),
    ("help", HELP),
    ("HELP", HELP),
    ("help step add", Invocation(("help",), {"command": "step add"})),
    ("help  Step\u00a0 ADD", Invocation(("help",), {"command": "Step ADD"})),
    # list
    ("list", Invocation(("list",))),
    ("  LiSt  ", Invocation(("list",))),
    # new
    ("new Sales", Invocation(("new",), {"stream": "Sales"})),
    ('new "Order to cash"', Invocation(("new",), {"stream": "Order to cash"})),
    ("new “Order to cash”", Invocation(("new",), {"stream": "Order to cash"})),
    ("new ”Order to cash”", Invocation(("new",), {"stream": "Order to cash"})),
    ("new „Auftrag bis Zahlung“", Invocation(("new",), {"stream": "Auftrag bis Zahlung"})),
    ("new 'Order to cash'", Invocation(("new",), {"stream": "Order to cash"})),
    ("new ‘Order to cash’", Invocation(("new",), {"stream": "Order to cash"})),
    ('new "  padded  "', Invocation(("new",), {"stream": "padded"})),
    (
        'new "Order to cash" trigger:"PO arrives" value=“cash in bank” customer:Retail '
        "basis:WORKING hours:7.5 days=5",
        Invocation(
            ("new",),
            {"stream": "Order to cash"},
            {
                "trigger": "PO arrives",
                "value": "cash in bank",
                "customer": "Retail",
                "basis": "working",
                "hours": 7.5,
                "days": 5.0,
            },
        ),
    ),
    ("new x HOURS=8", Invocation(("new",), {"stream": "x"}, {"hours": 8.0})),
    ("new x cust:Retail", Invocation(("new",), {"stream": "x"}, {"customer": "Retail"})),
    ("new x trigger:", Invocation(("new",), {"stream": "x"}, {"trigger": ""})),
    ('new x trigger:""', Invocation(("new",), {"stream": "x"}, {"trigger": ""})),
    ("new hours:8 x", Invocation(("new",), {"stream": "x"}, {"hours": 8.0})),
    # show: Slack escaping, entities, apostrophes, whitespace
    ('show "R&amp;D"', Invocation(("show",), {"stream": "R&D"})),
    ("show a&lt;b&gt;", Invocation(("show",), {"stream": "a<b>"})),
    ("show &amp;lt;", Invocation(("show",), {"stream": "&lt;"})),
    ("show Bob's", Invocation(("show",), {"stream": "Bob's"})),
    ("show 'Bob's stream'", Invocation(("show",), {"stream": "Bob's stream"})),
    ("show ‘Bob’s stream’", Invocation(("show",), {"stream": "Bob’s stream"})),
    ('show "Ask <@U1|bob> and <@W2>"', Invocation(("show",), {"stream": "Ask @bob and @W2"})),
    ('show "<#C1|ops> <!here>"', Invocation(("show",), {"stream": "#ops @here"})),
    (
        'show "see <https://x.io/a?b=1&amp;c=2>"',
        Invocation(("show",), {"stream": "see https://x.io/a?b=1&c=2"}),
    ),
    ("show <https://x.io|docs>", Invocation(("show",), {"stream": "docs"})),
    ("show <#C1|general>", Invocation(("show",), {"stream": "#general"})),
    ("show\u00a0Sales", Invocation(("show",), {"stream": "Sales"})),
    ("show\tSales\r\n", Invocation(("show",), {"stream": "Sales"})),
    ('show "Q3: plan"', Invocation(("show",), {"stream": "Q3: plan"})),
    ("show Q3:plan", Invocation(("show",), {"stream": "Q3:plan"})),
    ('show "' + "x" * 80 + '"', Invocation(("show",), {"stream": "x" * 80})),
    # step add
    (
        'step add "R&amp;D" Build team="R&amp;D" people:<@U123|ann> <@W456> at:3',
        Invocation(
            ("step", "add"),
            {"stream": "R&D", "step": "Build"},
            {"team": "R&D", "people": ("U123", "W456"), "at": 3},
        ),
    ),
    (
        "STEP Add s t people: <@U1>, <@U2>,<@U1>",
        Invocation(("step", "add"), {"stream": "s", "step": "t"}, {"people": ("U1", "U2")}),
    ),
    (
        "step add team:ops s t",
        Invocation(("step", "add"), {"stream": "s", "step": "t"}, {"team": "ops"}),
    ),
    # step edit
    (
        'step edit s 2 name="New name" team:"" people:',
        Invocation(
            ("step", "edit"),
            {"stream": "s", "n": 2},
            {"name": "New name", "team": "", "people": ()},
        ),
    ),
    ("step edit s 50", Invocation(("step", "edit"), {"stream": "s", "n": 50})),
    # step move / remove
    ('step move "s s" 1 4', Invocation(("step", "move"), {"stream": "s s", "n": 1, "to": 4})),
    ("step remove s 3", Invocation(("step", "remove"), {"stream": "s", "n": 3})),
    # rename / archive / unarchive
    ('rename old "new one"', Invocation(("rename",), {"stream": "old", "new_name": "new one"})),
    ("archive “Old stream”", Invocation(("archive",), {"stream": "Old stream"})),
    ("unarchive Old", Invocation(("unarchive",), {"stream": "Old"})),
]


@pytest.mark.parametrize(("text", "expected"), GOOD)
def test_parse_reads_good_commands(text, expected):
    assert parse(text) == expected


GROUP = usage_of("step")

BAD = [
    # unknown commands: no usage, a pointer to help, a guess when close
    ("xyz", "I do not know `/vsm xyz`. Try `/vsm help`.", None),
    ("lst", "Did you mean `/vsm list`?", "/vsm list"),
    ("stepp add a b", "Did you mean `/vsm step add`?", usage_of("step add")),
    ('"list"', 'I do not know `/vsm "list"`', None),
    ("<@U1>", "I do not know `/vsm @U1`", None),
    ("step", "After `/vsm step`, use one of: `add`, `edit`, `move`, `remove`.", GROUP),
    ("step foo", "I do not know `/vsm step foo`.", GROUP),
    ("step ad s t", "Did you mean `/vsm step add`?", GROUP),
    # whole-text problems carry the usage of the command they start with
    ('show "Sales', 'The quote at `"Sales` is never closed', usage_of("show")),
    ("show “Sales", "The quote at `“Sales` is never closed", usage_of("show")),
    ("show 'Sales team", "never closed", usage_of("show")),
    ("show ‘Bob’s stream", "never closed", usage_of("show")),
    ("new x trigger:“a b", "never closed", usage_of("new")),
    ("show a\x07", "control characters (found `U+0007`)", usage_of("show")),
    ('show "a\x00b"', "control characters", usage_of("show")),
    ("show a\x85", "control characters", usage_of("show")),
    ("show " + "x" * 2996, "I read at most 3000", usage_of("show")),
    ("nope \x1b", "control characters", None),
    # help
    ("help foo:bar", "`/vsm help` has no option `foo:`. It takes no options.", usage_of("help")),
    # new
    ("new", "Missing <stream>.", usage_of("new")),
    ('new ""', "<stream> cannot be empty.", usage_of("new")),
    ("new “  ”", "<stream> cannot be empty.", usage_of("new")),
    ('new "' + "x" * 81 + '"', "is 81 characters; <stream> can have at most 80.", usage_of("new")),
    ('new "a\nb"', "<stream> must be one line", usage_of("new")),
    (
        "new Order to cash",
        "I did not expect `to`. Names with spaces go in quotes.",
        usage_of("new"),
    ),
    (
        'new x trigger:"' + "y" * 301 + '"',
        "`trigger:` takes one line of at most 300",
        usage_of("new"),
    ),
    ('new x value:"a\tb"', "`value:` takes one line", usage_of("new")),
    (
        "new x basis:lunar",
        "`basis:lunar` will not do: `basis:` takes one of `basis:calendar`",
        usage_of("new"),
    ),
    ("new x basis:", "`basis:` takes one of", usage_of("new")),
    ("new x hours:25", "`hours:` takes a number from 1 to 24", usage_of("new")),
    ("new x hours:0.5", "`hours:` takes a number from 1 to 24", usage_of("new")),
    ("new x hours:eight", "`hours:eight` will not do", usage_of("new")),
    ("new x hours:1e1", "`hours:` takes a number", usage_of("new")),
    ("new x hours:nan", "`hours:` takes a number", usage_of("new")),
    ("new x hours:٨", "`hours:` takes a number", usage_of("new")),
    ("new x days:8", "`days:` takes a number from 1 to 7", usage_of("new")),
    ("new x hours:1 hours=2", "`hours:` is given twice", usage_of("new")),
    ("new x HOURS:1 hours:2", "`hours:` is given twice", usage_of("new")),
    ("new x cust:a customer:b", "`customer:` is given twice", usage_of("new")),
    ("new x foo:1", "has no option `foo:`. It takes `trigger:`, `value:`", usage_of("new")),
    ("new Sales:EMEA", "If that is part of a name, put the name in quotes.", usage_of("new")),
    ("new x trigger:<@U1>", "`trigger:` takes one line", usage_of("new")),
    # list / show
    ("list x", "I did not expect `x`.", usage_of("list")),
    ("list at:1", "It takes no options.", usage_of("list")),
    ("show", "Missing <stream>.", usage_of("show")),
    ("show a b", "I did not expect `b`. Names with spaces go in quotes.", usage_of("show")),
    ('show "a" "b"', 'I did not expect `"b"`.', usage_of("show")),
    (
        "show a <@U1>",
        "I did not expect the mention `@U1` in `/vsm show`; it takes no mentions.",
        usage_of("show"),
    ),
    ("show <@U1|bob>", "the mention `@bob`", usage_of("show")),
    # step add
    ("step add", "Missing <stream>.", usage_of("step", "add")),
    ("step add s", "Missing <step>.", usage_of("step", "add")),
    ("step add s t at:0", "`at:` takes a whole number from 1 to 50", usage_of("step", "add")),
    ("step add s t at:51", "`at:` takes a whole number from 1 to 50", usage_of("step", "add")),
    ("step add s t at:2.5", "`at:` takes a whole number", usage_of("step", "add")),
    ("step add s t at:", "`at:` takes a whole number", usage_of("step", "add")),
    ("step add s t people:bob", "type @ and pick each person", usage_of("step", "add")),
    ('step add s t people:"<@U1>"', "`people:` takes mentions", usage_of("step", "add")),
    (
        "step add s t people:" + " ".join(f"<@U{i}>" for i in range(21)),
        "`people:` takes at most 20 people",
        usage_of("step", "add"),
    ),
    ("step add s t team:<@U1>", "`team:` takes one line of at most 80", usage_of("step", "add")),
    (
        "step add s t <@U1>",
        "the mention `@U1` in `/vsm step add`; mentions go after `people:`.",
        usage_of("step", "add"),
    ),
    ("step add s t people:<@U1>, x", "I did not expect `,`", usage_of("step", "add")),
    # step edit
    ("step edit s", "Missing <n>.", usage_of("step", "edit")),
    ("step edit s 0", "<n> is a whole number from 1 to 50", usage_of("step", "edit")),
    ("step edit s 51", "<n> is a whole number from 1 to 50", usage_of("step", "edit")),
    ("step edit s two", "`two` will not do", usage_of("step", "edit")),
    ("step edit s 1 name:", "`name:` takes one line of 1 to 80", usage_of("step", "edit")),
    ("step edit s 1 at:2", "has no option `at:`", usage_of("step", "edit")),
    # step move / remove
    ("step move s 1", "Missing <to>.", usage_of("step", "move")),
    ("step move s 1 99", "<to> is a whole number from 1 to 50", usage_of("step", "move")),
    ("step remove s", "Missing <n>.", usage_of("step", "remove")),
    ("step remove s 1 2", "I did not expect `2`.", usage_of("step", "remove")),
    # rename / archive / unarchive
    ("rename a", "Missing <new name>.", usage_of("rename")),
    ('rename a "b\nc"', "<new name> must be one line", usage_of("rename")),
    ("archive", "Missing <stream>.", usage_of("archive")),
    ("unarchive a b", "I did not expect `b`.", usage_of("unarchive")),
]


@pytest.mark.parametrize(("text", "fragment", "usage"), BAD)
def test_parse_explains_bad_commands(text, fragment, usage):
    with pytest.raises(CommandError) as caught:
        parse(text)
    assert fragment in caught.value.message
    assert caught.value.usage == usage


def test_command_error_is_the_domain_error():
    assert issubclass(CommandError, VsmError)
    assert issubclass(CommandError, ValueError)


# A table of the kinds SPECS does not use yet, to show they work as table entries.
DEMO = (
    CommandSpec(
        ("schedule",),
        "/vsm schedule <n> <when> [owner:@someone] [every:2d 4h] [team:…] [tag:…]",
        (int_arg("n", 1, 9), word_arg("when", "off", "now", "weekly")),
        {
            "owner": OptionSpec.user(),
            "every": OptionSpec.read("2d 4h", read_span),
            "team": OptionSpec.text(80),
            "tag": OptionSpec.text(80),
        },
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schedule 1 WEEKLY", Invocation(("schedule",), {"n": 1, "when": "weekly"})),
        (
            "schedule 2 now owner:<@U1|ann> every:“2d 4h”",
            Invocation(
                ("schedule",), {"n": 2, "when": "now"}, {"owner": "U1", "every": read_span("2d 4h")}
            ),
        ),
        (
            "schedule 2 off owner: <@W9>",
            Invocation(("schedule",), {"n": 2, "when": "off"}, {"owner": "W9"}),
        ),
    ],
)
def test_parse_reads_other_kinds_from_a_table(text, expected):
    assert parse(text, DEMO) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("schedule 1 monthly", "<when> is one of `off`, `now`, `weekly`"),
        ("schedule 1 now owner:", "`owner:` takes one mention"),
        ("schedule 1 now owner:ann", "`owner:` takes one mention"),
        ("schedule 1 now owner:<@U1> <@U2>", "I did not expect the mention `@U2`"),
        ("schedule 1 now t:x", "`t:` could mean `tag:` or `team:`; write it out."),
        ("schedule 1 now every:<@U1>", "`every:` takes a value like `every:2d 4h`"),
        ("schedule 3 off every:", "every: No time is given."),
        ("schedule 3 off every:2", "every: `2` — 2 what?"),
    ],
)
def test_parse_explains_other_kinds(text, fragment):
    with pytest.raises(CommandError) as caught:
        parse(text, DEMO)
    assert fragment in caught.value.message
    assert caught.value.usage == DEMO[0].usage


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("a  b", [Word("a"), Word("b")]),
        ('"a b" c', [Quoted("a b"), Word("c")]),
        ('x"a b"', [Word("x"), Quoted("a b")]),
        ('"a"b', [Quoted("a"), Word("b")]),
        ("Key:v k=“two words”", [Option("key", Word("v")), Option("k", Quoted("two words"))]),
        ("k: v", [Option("k", None), Word("v")]),
        ("k:<@U1|bob>", [Option("k", Mention("U1", "bob"))]),
        ("<@U1|bob><@W2>", [Mention("U1", "bob"), Mention("W2")]),
        ('"k:v" "<@U1>"', [Quoted("k:v"), Quoted("@U1")]),
        ("k1:v", [Word("k1:v")]),
        ("<@x1>", [Word("@x1")]),
        ("<!subteam^S1|@devs> <!date^1^{date}|Feb 18>", [Word("@devs"), Word("Feb 18")]),
        ("&lt;@U1&gt;", [Word("<@U1>")]),
        ("a<b", [Word("a<b")]),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_usages_are_exact_and_name_every_command():
    assert {spec.name: spec.usage for spec in SPECS} == USAGE
    assert tuple(USAGE) == COMMAND_NAMES


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_usage_mentions_every_arg_and_option(spec):
    assert spec.usage.startswith(f"/vsm {spec.name}")
    for arg in spec.args:
        # Free words after the arguments (a schedule's "every 2 weeks…") are spelled out.
        documented = arg.name.replace("_", " ") in spec.usage or (
            arg.kind == "word" and all(choice in spec.usage for choice in arg.choices)
        )
        assert arg.rest or documented
    for option in spec.options:
        # An option a command cannot do without (`handoff`'s mode:) is written without [ ].
        assert f"[{option}:" in spec.usage or f" {option}:" in spec.usage


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("step add", ["step add"]),
        ("STEP   add", ["step add"]),
        ("step", ["step add", "step edit", "step move", "step remove"]),
        ("", list(COMMAND_NAMES)),
        ("nope", []),
    ],
)
def test_specs_for(command, names):
    assert [spec.name for spec in specs_for(command)] == names


# Property tests: any text either parses or raises CommandError, and values survive a round trip.

FRAGMENTS = [
    *(word for name in COMMAND_NAMES for word in name.split()),
    *'"“”„‘’\'',
    ":", "=", " ", "  ", "\t", "\n", "\u00a0", "\x07", "<", ">", "|", "&", ",",
    "<@U1|bob>", "<@W2>", "<@>", "<#C1|ops>", "<https://a.io|docs>", "<!here>", "<>",
    "&amp;", "&lt;", "&gt;", "&amp;lt;",
    "people:", "at:", "team=", "hours:", "basis:", "name:", "trigger:", "p:", "x:",
    "1", "0", "51", "7.5", "1e3", "Order", "to", "cash",
]  # fmt: skip

commandish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=16).map("".join)


def parse_or_error(text):
    try:
        return parse(text)
    except CommandError as error:
        return error


@given(st.text() | commandish)
def test_parse_returns_or_raises_command_error(text):
    result = parse_or_error(text)
    assert isinstance(result, Invocation) or result.message


QUOTES = [('"', '"'), ("“", "”"), ("”", "”"), ("„", "“"), ("“", '"')]

names = (
    st.text(
        st.characters(exclude_categories=("Cc", "Cs"), exclude_characters='"“”„'),
        min_size=1,
        max_size=80,
    )
    .map(str.strip)
    .filter(bool)
)
user_ids = st.from_regex(r"[UW][A-Z0-9]{1,10}", fullmatch=True)


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str, pair: tuple[str, str]) -> str:
    return pair[0] + slack_escape(text) + pair[1]


@given(
    stream=names,
    step=names,
    team=names | st.just(""),
    people=st.lists(user_ids, max_size=20, unique=True),
    at=st.integers(1, 50),
    pair=st.sampled_from(QUOTES),
    sep=st.sampled_from(":="),
    labelled=st.booleans(),
)
def test_step_add_round_trip(stream, step, team, people, at, pair, sep, labelled):
    mentions = " ".join(f"<@{uid}|someone>" if labelled else f"<@{uid}>" for uid in people)
    text = (
        f"step add {quote(stream, pair)} {quote(step, pair)} team{sep}{quote(team, pair)} "
        f"people{sep}{mentions} at{sep}{at}"
    )
    assert parse(text) == Invocation(
        ("step", "add"),
        {"stream": stream, "step": step},
        {"team": team, "people": tuple(people), "at": at},
    )


@given(
    stream=names,
    trigger=st.text(
        st.characters(exclude_categories=("Cc", "Cs"), exclude_characters='"“”„'), max_size=300
    ).map(str.strip),
    basis=st.sampled_from(["calendar", "working", "Working", "CALENDAR"]),
    half_hours=st.integers(2, 48),
    days=st.integers(1, 7),
    pair=st.sampled_from(QUOTES),
)
def test_new_round_trip(stream, trigger, basis, half_hours, days, pair):
    hours = half_hours / 2
    text = (
        f"new {quote(stream, pair)} trigger:{quote(trigger, pair)} basis:{basis} "
        f"hours:{hours:g} days={days}"
    )
    assert parse(text) == Invocation(
        ("new",),
        {"stream": stream},
        {"trigger": trigger, "basis": basis.lower(), "hours": hours, "days": float(days)},
    )
