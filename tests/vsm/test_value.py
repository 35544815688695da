import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.value import (
    DEFAULT_DIMENSIONS,
    DEFAULT_LAYERS,
    Choice,
    ValueAnswer,
    ValueAnswerError,
    check_value_answer,
    choice_key,
    parse_dimensions,
    parse_layers,
    read_layer,
    read_points,
)

DIMENSIONS = (Choice("customer", "Customer"), Choice("revenue", "Revenue"), Choice("cost", "Cost"))
LAYERS = (Choice("leadership", "Leadership"), Choice("front-line", "Front line"))


def test_defaults() -> None:
    assert [(c.key, c.label) for c in DEFAULT_LAYERS] == [
        ("leadership", "Leadership"),
        ("management", "Management"),
        ("operations", "Operations"),
        ("producer", "Producer"),
        ("consumer", "Consumer"),
    ]
    assert [c.key for c in DEFAULT_DIMENSIONS] == [
        "customer-outcome",
        "revenue",
        "cost",
        "speed-to-market",
        "quality-and-risk",
        "compliance",
        "learning",
        "people",
    ]
    assert all(choice_key(c.label) == c.key for c in DEFAULT_LAYERS + DEFAULT_DIMENSIONS)


def test_the_defaults_pass_the_edit_form() -> None:
    typed = "\n".join(c.label for c in DEFAULT_DIMENSIONS)
    assert parse_dimensions(typed) == DEFAULT_DIMENSIONS
    assert parse_layers(", ".join(c.label for c in DEFAULT_LAYERS)) == DEFAULT_LAYERS


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Speed to market", "speed-to-market"),
        ("  Quality & risk! ", "quality-risk"),
        ("Time-to-cash", "time-to-cash"),
        ("snake_case", "snake-case"),
        ("Ökonomie", "ökonomie"),
        ("CO2", "co2"),
        ("!!!", ""),
    ],
)
def test_choice_key(label: str, key: str) -> None:
    assert choice_key(label) == key


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Board\nStaff", ["Board", "Staff"]),
        (
            "  - Board \n\n• Middle   management\n3. Staff\n",
            ["Board", "Middle management", "Staff"],
        ),
        ("Board, Staff; Customers", ["Board", "Staff", "Customers"]),
        ("Board, staff\nCustomers", ["Board, staff", "Customers"]),  # commas split one line only
        ("\n".join(f"Layer {n}" for n in range(8)), [f"Layer {n}" for n in range(8)]),
        ("x" * 40 + "\ny", ["x" * 40, "y"]),
    ],
)
def test_parse_layers_reads(text: str, labels: list[str]) -> None:
    parsed = parse_layers(text)
    assert [c.label for c in parsed] == labels
    assert [c.key for c in parsed] == [choice_key(label) for label in labels]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "That is no layers; give 2 to 8, one layer a line, such as `Leadership`, "),
        ("Board", "That is 1 layer; give 2 to 8,"),
        ("\n".join(f"Layer {n}" for n in range(9)), "That is 9 layers; give 2 to 8,"),
        ("Board\nStaff\nboard", "`board` is the same as `Board`; each layer must be different."),
        ("Board\nStaff\nBoard", "`Board` is there twice; each layer must be different."),
        ("Front-line\nFront line", "`Front line` is the same as `Front-line`"),
        ("Board\n" + "y" * 41, "is 41 characters long; keep a layer to 40."),
        ("Board\n???", "`???` needs a letter or a digit."),
    ],
)
def test_parse_layers_refuses(text: str, says: str) -> None:
    with pytest.raises(ValueAnswerError) as caught:
        parse_layers(text)
    assert says in caught.value.message


@pytest.mark.parametrize(
    ("text", "count"),
    [("a\nb", 2), ("\n".join(f"D{n}" for n in range(12)), 12)],
)
def test_parse_dimensions_reads(text: str, count: int) -> None:
    assert len(parse_dimensions(text)) == count


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Cost", "That is 1 dimension; give 2 to 12, one dimension a line, such as `Customer"),
        ("\n".join(f"D{n}" for n in range(13)), "That is 13 dimensions; give 2 to 12"),
        ("Cost\ncost.", "each dimension must be different."),
    ],
)
def test_parse_dimensions_refuses(text: str, says: str) -> None:
    with pytest.raises(ValueAnswerError, match=says):
        parse_dimensions(text)


@given(st.text(max_size=300))
def test_any_text_is_layers_or_our_error(text: str) -> None:
    try:
        parsed = parse_layers(text)
    except ValueAnswerError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert 2 <= len(parsed) <= 8
    assert len({c.key for c in parsed}) == len(parsed)
    assert all(c.key and len(c.label) <= 40 for c in parsed)


@pytest.mark.parametrize(
    ("layer", "points", "sentence", "expected"),
    [
        (
            "leadership",
            {"customer": 50, "revenue": 30, "cost": 20},
            None,
            ValueAnswer("leadership", {"customer": 50, "revenue": 30, "cost": 20}),
        ),
        (
            "Front LINE",
            {"customer": "70", "revenue": " 30 ", "cost": ""},
            "  We serve   people. ",
            ValueAnswer(
                "front-line", {"customer": 70, "revenue": 30, "cost": 0}, "We serve people."
            ),
        ),
        (
            "front-line",
            {"cost": 100},
            "   ",
            ValueAnswer("front-line", {"customer": 0, "revenue": 0, "cost": 100}),
        ),
        (
            "Leadership",
            {"revenue": "0000000000000000000000100"},
            "x" * 300,
            ValueAnswer("leadership", {"customer": 0, "revenue": 100, "cost": 0}, "x" * 300),
        ),
    ],
)
def test_check_value_answer_reads(
    layer: str, points: dict[str, int | str], sentence: str | None, expected: ValueAnswer
) -> None:
    answer = check_value_answer(layer, points, sentence, layers=LAYERS, dimensions=DIMENSIONS)
    assert answer == expected
    assert list(answer.points) == ["customer", "revenue", "cost"]


@pytest.mark.parametrize(
    ("layer", "points", "sentence", "message"),
    [
        (
            "leadership",
            {"customer": 50, "revenue": 40},
            None,
            "Your points add up to 90; spread exactly 100 over the dimensions (10 more).",
        ),
        (
            "leadership",
            {"customer": 60, "revenue": 50},
            None,
            "add up to 110; spread exactly 100 over the dimensions (10 fewer).",
        ),
        ("leadership", {}, None, "Your points add up to 0;"),
        ("leadership", {"customer": 110, "cost": -10}, None, "Customer has more than 100 points;"),
        (
            "leadership",
            {"customer": 90, "cost": -10, "revenue": 20},
            None,
            "Points cannot be negative (-10 for Cost).",
        ),
        (
            "leadership",
            {"customer": "-10"},
            None,
            "Points cannot be negative (`-10` for Customer).",
        ),
        (
            "leadership",
            {"customer": "2.5"},
            None,
            "`2.5` for Customer is not a whole number of points.",
        ),
        ("leadership", {"customer": "lots"}, None, "`lots` for Customer is not a whole number"),
        (
            "leadership",
            {"customer": True},
            None,
            "True for Customer is not a whole number of points.",
        ),
        (
            "leadership",
            {"customer": 99.5},
            None,
            "99.5 for Customer is not a whole number of points.",
        ),
        ("leadership", {"customer": "9" * 5000}, None, "Customer has more than 100 points;"),
        (
            "leadership",
            {"speed": 100},
            None,
            "The value dimensions changed while you answered; open the form again.",
        ),
        (
            "board",
            {"customer": 100},
            None,
            "I don't know the layer `board`. The layers are Leadership, Front line.",
        ),
        ("", {"customer": 100}, None, "Pick your layer. The layers are Leadership, Front line."),
        (
            "leadership",
            {"customer": 100},
            "y" * 301,
            "Your sentence is 301 characters long; keep it to 300.",
        ),
    ],
)
def test_check_value_answer_refuses(
    layer: str, points: dict[str, object], sentence: str | None, message: str
) -> None:
    with pytest.raises(ValueAnswerError) as caught:
        check_value_answer(layer, points, sentence, layers=LAYERS, dimensions=DIMENSIONS)
    assert message in caught.value.message


@given(
    st.text(max_size=20),
    st.dictionaries(st.sampled_from(["customer", "revenue", "cost", "x"]), st.text(max_size=8)),
    st.none() | st.text(max_size=400),
)
def test_any_typed_answer_is_checked_or_our_error(
    layer: str, points: dict[str, str], sentence: str | None
) -> None:
    try:
        answer = check_value_answer(layer, points, sentence, layers=LAYERS, dimensions=DIMENSIONS)
    except ValueAnswerError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert sum(answer.points.values()) == 100
    assert all(value >= 0 for value in answer.points.values())


@pytest.mark.parametrize(
    ("typed", "points"),
    [("30", 30), ("", 0), (" 007 ", 7), ("100", 100), (0, 0), (55, 55)],
)
def test_reads_one_dimensions_points_as_typed(typed: int | str, points: int) -> None:
    assert read_points(typed, "Revenue") == points


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ten", "`ten` for Revenue is not a whole number of points."),
        ("2.5", "`2.5` for Revenue is not a whole number of points."),
        ("-5", "Points cannot be negative (`-5` for Revenue)."),
        ("101", "Revenue has more than 100 points; there are only 100."),
    ],
)
def test_refuses_points_that_cannot_be_given(typed: str, message: str) -> None:
    with pytest.raises(ValueAnswerError) as raised:
        read_points(typed, "Revenue")
    assert raised.value.message == message


@pytest.mark.parametrize(
    ("typed", "key"),
    [("leadership", "leadership"), ("Front line", "front-line"), ("FRONT-LINE", "front-line")],
)
def test_reads_a_layer_by_key_or_label(typed: str, key: str) -> None:
    assert read_layer(typed, LAYERS) == key


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Pick your layer. The layers are Leadership, Front line."),
        ("board", "I don't know the layer `board`. The layers are Leadership, Front line."),
    ],
)
def test_refuses_a_layer_it_does_not_know(typed: str, message: str) -> None:
    with pytest.raises(ValueAnswerError) as raised:
        read_layer(typed, LAYERS)
    assert raised.value.message == message
