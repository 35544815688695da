"""Shared test data: the worked example of VSM.md, as the people at each step would type it."""

from vsm.durations import TimeBasis
from vsm.replies import StepRef

WORKED_STEPS = (
    StepRef(1, "Contract review"),
    StepRef(2, "Account setup"),
    StepRef(3, "Kickoff call"),
    StepRef(4, "Data migration"),
    StepRef(5, "Go-live check"),
)
WORKED_REPLY = """\
1: wait 2d pt 3h ca 70%
2: wait 1d pt 45m ca 90%
3: wait 3d pt 1h ca 95%
4: wait 5d pt 6h ca 60%
5: wait 1d pt 30m ca 98%
"""
WORKING = TimeBasis("working", hours_per_day=8, days_per_week=5)
