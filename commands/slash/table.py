"""Every `/vsm` subcommand, as data: adding one is adding an entry here (and its handler)."""

from commands.segments import read_steps
from commands.slash.readers import (
    read_date,
    read_digest,
    read_improvement_move,
    read_schedule,
)
from commands.slash.specs import (
    ArgSpec,
    CommandSpec,
    OptionSpec,
    int_arg,
    name_arg,
    rest_arg,
    word_arg,
)
from vsm.durations import read_span
from vsm.improvements import read_expectation
from vsm.percent import parse_percent
from vsm.schedule_words import parse_zone
from vsm.teams import parse_interaction_mode, parse_team_type

_STREAM = name_arg("stream")
_STEP_NUMBER = int_arg("n", 1, 50)
_TEAM = OptionSpec.text(80)
_ZONE = OptionSpec.read("Europe/Berlin", parse_zone, named=False)

SPECS: tuple[CommandSpec, ...] = (
    CommandSpec(("help",), "/vsm help [command]", (rest_arg("command", optional=True),)),
    CommandSpec(
        ("new",),
        '/vsm new "<stream>" [trigger:"…"] [value:"…"] [customer:"…"] '
        "[basis:calendar|working] [hours:8] [days:5]",
        (_STREAM,),
        {
            "trigger": OptionSpec.text(300),
            "value": OptionSpec.text(300),
            "customer": OptionSpec.text(300),
            "basis": OptionSpec.choice("calendar", "working"),
            "hours": OptionSpec.number(1, 24),
            "days": OptionSpec.number(1, 7),
        },
    ),
    CommandSpec(("list",), "/vsm list"),
    CommandSpec(("show",), '/vsm show "<stream>"', (_STREAM,)),
    CommandSpec(
        ("step", "add"),
        '/vsm step add "<stream>" "<step>" [team:"…"] [people:@a @b] [at:<position>]',
        (_STREAM, name_arg("step")),
        {"team": _TEAM, "people": OptionSpec.people(20), "at": OptionSpec.integer(1, 50)},
    ),
    CommandSpec(
        ("step", "edit"),
        '/vsm step edit "<stream>" <n> [name:"…"] [team:"…"] [people:@a @b]',
        (_STREAM, _STEP_NUMBER),
        {"name": OptionSpec.text(80, least=1), "team": _TEAM, "people": OptionSpec.people(20)},
    ),
    CommandSpec(
        ("step", "move"),
        '/vsm step move "<stream>" <n> <to>',
        (_STREAM, _STEP_NUMBER, int_arg("to", 1, 50)),
    ),
    CommandSpec(("step", "remove"), '/vsm step remove "<stream>" <n>', (_STREAM, _STEP_NUMBER)),
    CommandSpec(
        ("rename",), '/vsm rename "<stream>" "<new name>"', (_STREAM, name_arg("new_name"))
    ),
    CommandSpec(("archive",), '/vsm archive "<stream>"', (_STREAM,)),
    CommandSpec(("unarchive",), '/vsm unarchive "<stream>"', (_STREAM,)),
    CommandSpec(
        ("owners",),
        '/vsm owners "<stream>" [add|remove @a @b]',
        (_STREAM, word_arg("action", "add", "remove", optional=True)),
        mentions="people",
    ),
    CommandSpec(
        ("history",),
        '/vsm history "<stream>" [<page>]',
        (_STREAM, int_arg("page", 1, 9999, optional=True)),
    ),
    CommandSpec(
        ("measure",),
        '/vsm measure "<stream>" [label:"…"] [window:<duration>]',
        (_STREAM,),
        {"label": OptionSpec.text(80), "window": OptionSpec.read("3d", read_span)},
    ),
    CommandSpec(("close",), '/vsm close "<stream>"', (_STREAM,)),
    CommandSpec(("cancel",), '/vsm cancel "<stream>"', (_STREAM,)),
    CommandSpec(
        ("compare",),
        '/vsm compare "<stream>" [<before> <after>]',
        (
            _STREAM,
            int_arg("before", 1, 9999, optional=True),
            int_arg("after", 1, 9999, optional=True),
        ),
    ),
    CommandSpec(("export",), '/vsm export "<stream>"', (_STREAM,)),
    CommandSpec(
        ("map",),
        '/vsm map "<stream>" [cycle:<n>]',
        (_STREAM,),
        {"cycle": OptionSpec.integer(1, 9999)},
    ),
    CommandSpec(("trend",), '/vsm trend "<stream>"', (_STREAM,)),
    CommandSpec(
        ("schedule",),
        '/vsm schedule "<stream>" [every <n> weeks|days] [on <weekday>] [at HH:MM] '
        "[window:<duration>] [tz:<IANA zone>] | off",
        (_STREAM, rest_arg("when", optional=True, reader=read_schedule)),
        # A schedule's window gets the duration's own examples, as it always has.
        {"window": OptionSpec.read("3d", read_span, named=False), "tz": _ZONE},
    ),
    CommandSpec(
        ("survey",),
        '/vsm survey "<stream>" [edit|reset]',
        (_STREAM, word_arg("action", "edit", "reset", optional=True)),
    ),
    CommandSpec(
        ("improve",),
        '/vsm improve "<stream>" "<title>" [step:<n>] [owner:@u] [expect:"wait -2d"] '
        "[effort:S|M|L]",
        (_STREAM, ArgSpec("title", "name", 1, 200)),
        {
            "step": OptionSpec.integer(1, 50),
            "owner": OptionSpec.user(),
            "expect": OptionSpec.read('"wait -2d"', read_expectation),
            "effort": OptionSpec.choice("s", "m", "l"),
        },
    ),
    CommandSpec(
        ("improvements",),
        '/vsm improvements "<stream>" [rank]',
        (_STREAM, word_arg("how", "rank", optional=True)),
    ),
    CommandSpec(
        ("improvement",),
        '/vsm improvement ["<stream>"] <n> doing|done|dropped',
        # The stream may be left out in its home channel, so the words are read by position
        # from the end: the status last, the number before it, the stream's name before that.
        (rest_arg("what", reader=read_improvement_move),),
    ),
    CommandSpec(
        ("target",),
        '/vsm target "<stream>" [lead:<duration>] [ratio:<percent>] [ca:<percent>] '
        "[by:YYYY-MM-DD] | off",
        (_STREAM, word_arg("off", "off", optional=True)),
        {
            "lead": OptionSpec.read("5d", read_span),
            "ratio": OptionSpec.read("10%", parse_percent),
            "ca": OptionSpec.read("60%", parse_percent),
            "by": OptionSpec.read("2027-06-30", read_date, named=False),
        },
    ),
    CommandSpec(
        ("digest",),
        "/vsm digest weekly [on <weekday>] [at HH:MM] [tz:<IANA zone>] | off | now",
        (rest_arg("when", reader=read_digest),),
        {"tz": _ZONE},
    ),
    # ---- Value Stream Management: teams, hand-offs, support streams, segments ----
    CommandSpec(
        ("team",),
        '/vsm team "<team>" [type:stream-aligned|enabling|complicated-subsystem|platform] '
        '[mission:"…"] [people:@a @b] [name:"…"] | remove',
        (name_arg("team"), word_arg("action", "remove", optional=True)),
        {
            "type": OptionSpec.read("platform", parse_team_type),
            "mission": OptionSpec.text(300),
            "people": OptionSpec.people(20),
            "name": OptionSpec.text(80, least=1),
        },
    ),
    CommandSpec(("teams",), "/vsm teams"),
    CommandSpec(
        ("handoff",),
        '/vsm handoff "<stream>" <n> mode:collaboration|x-as-a-service|facilitating|none',
        (_STREAM, _STEP_NUMBER),
        {"mode": OptionSpec.read("x-as-a-service", parse_interaction_mode)},
    ),
    # ---- Value Stream Management across layers and streams (commands/value.py, …) ----
    CommandSpec(
        ("value",),
        '/vsm value "<stream>" [results|edit]',
        (_STREAM, word_arg("action", "results", "edit", optional=True)),
    ),
    CommandSpec(
        ("support",),
        '/vsm support "<support stream>" serves:"<stream>" step:<n> [off]',
        (name_arg("support"), word_arg("off", "off", optional=True)),
        {"serves": OptionSpec.text(80, least=1), "step": OptionSpec.integer(1, 50)},
    ),
    CommandSpec(
        ("segment",),
        '/vsm segment "<stream>" "<segment>" steps:<from>-<to> [owner:@u] | off',
        (_STREAM, name_arg("segment"), word_arg("off", "off", optional=True)),
        {"steps": OptionSpec.read("2-4", read_steps), "owner": OptionSpec.user()},
    ),
    CommandSpec(
        ("portfolio",),
        "/vsm portfolio [channel|all]",
        (word_arg("scope", "channel", "all", optional=True),),
    ),
    CommandSpec(
        ("portfolio", "rank"),
        "/vsm portfolio rank [channel|all]",
        (word_arg("scope", "channel", "all", optional=True),),
    ),
    CommandSpec(("overlaps",), "/vsm overlaps"),
)
