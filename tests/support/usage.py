"""The right form of every `/vsm` command, as README.md's Commands table gives it.

Written out by hand, once, so the grammar and the bot's replies are checked against what
people were told, not against the grammar itself.
"""

USAGE = {
    "help": "/vsm help [command]",
    "new": '/vsm new "<stream>" [trigger:"…"] [value:"…"] [customer:"…"] '
    "[basis:calendar|working] [hours:8] [days:5]",
    "list": "/vsm list",
    "show": '/vsm show "<stream>"',
    "step add": '/vsm step add "<stream>" "<step>" [team:"…"] [people:@a @b] [at:<position>]',
    "step edit": '/vsm step edit "<stream>" <n> [name:"…"] [team:"…"] [people:@a @b]',
    "step move": '/vsm step move "<stream>" <n> <to>',
    "step remove": '/vsm step remove "<stream>" <n>',
    "rename": '/vsm rename "<stream>" "<new name>"',
    "archive": '/vsm archive "<stream>"',
    "unarchive": '/vsm unarchive "<stream>"',
    "owners": '/vsm owners "<stream>" [add|remove @a @b]',
    "history": '/vsm history "<stream>" [<page>]',
    "measure": '/vsm measure "<stream>" [label:"…"] [window:<duration>]',
    "close": '/vsm close "<stream>"',
    "cancel": '/vsm cancel "<stream>"',
    "compare": '/vsm compare "<stream>" [<before> <after>]',
    "export": '/vsm export "<stream>"',
    "map": '/vsm map "<stream>" [cycle:<n>]',
    "trend": '/vsm trend "<stream>"',
    "schedule": '/vsm schedule "<stream>" [every <n> weeks|days] [on <weekday>] [at HH:MM] '
    "[window:<duration>] [tz:<IANA zone>] | off",
    "survey": '/vsm survey "<stream>" [edit|reset]',
    "improve": '/vsm improve "<stream>" "<title>" [step:<n>] [owner:@u] [expect:"wait -2d"] '
    "[effort:S|M|L]",
    "improvements": '/vsm improvements "<stream>" [rank]',
    "improvement": '/vsm improvement ["<stream>"] <n> doing|done|dropped',
    "target": '/vsm target "<stream>" [lead:<duration>] [ratio:<percent>] [ca:<percent>] '
    "[by:YYYY-MM-DD] | off",
    "digest": "/vsm digest weekly [on <weekday>] [at HH:MM] [tz:<IANA zone>] | off | now",
    "team": '/vsm team "<team>" [type:stream-aligned|enabling|complicated-subsystem|platform] '
    '[mission:"…"] [people:@a @b] [name:"…"] | remove',
    "teams": "/vsm teams",
    "handoff": '/vsm handoff "<stream>" <n> mode:collaboration|x-as-a-service|facilitating|none',
    "value": '/vsm value "<stream>" [results|edit]',
    "support": '/vsm support "<support stream>" serves:"<stream>" step:<n> [off]',
    "segment": '/vsm segment "<stream>" "<segment>" steps:<from>-<to> [owner:@u] | off',
    "portfolio": "/vsm portfolio [channel|all]",
    "portfolio rank": "/vsm portfolio rank [channel|all]",
    "overlaps": "/vsm overlaps",
}
