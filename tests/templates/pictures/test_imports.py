"""matplotlib is loaded only by the process that draws, and never through pyplot."""

import subprocess
import sys

import pytest

LOADS_NOTHING = {
    "the templates package": "import templates",
    "picture data and alt text": (
        "import templates, templates.pictures.data\n"
        "from templates.pictures import map_alt_text, trend_alt_text, digest_alt_text"
    ),
}


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


@pytest.mark.parametrize("code", LOADS_NOTHING.values(), ids=LOADS_NOTHING.keys())
def test_importing_does_not_load_matplotlib(code: str) -> None:
    assert run(f"{code}\nimport sys\nprint('matplotlib' in sys.modules)") == "False"


def test_drawing_loads_matplotlib_but_never_pyplot() -> None:
    code = (
        "import sys\n"
        "from templates.pictures.stream_map import draw_map\n"
        "from templates.pictures.trend import draw_trend\n"
        "from templates.pictures.digest import draw_digest_trends\n"
        "from tests.templates.pictures.samples import worked_map, trend_of, digest_items\n"
        "draw_map(worked_map()); draw_trend(trend_of(3)); draw_digest_trends(digest_items(2))\n"
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    assert run(code) == "True False"
