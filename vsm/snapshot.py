"""Cycle metrics as plain JSON-able data and back, so a closed cycle's numbers stay as they were."""

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, cast

from vsm.metrics import CycleMetrics, StepField, StepMetrics

SNAPSHOT_VERSION = 1


def metrics_to_dict(metrics: CycleMetrics) -> dict[str, Any]:
    """A JSON-able copy of `metrics` (the bottleneck named by its step key)."""
    data = asdict(metrics)
    data["steps"] = [_step_to_dict(step) for step in metrics.steps]
    data["bottleneck"] = None if metrics.bottleneck is None else metrics.bottleneck.key
    data["missing_steps"] = list(metrics.missing_steps)
    data["unrated_steps"] = list(metrics.unrated_steps)
    data["version"] = SNAPSHOT_VERSION
    return data


def metrics_from_dict(data: Mapping[str, Any]) -> CycleMetrics:
    """The metrics `metrics_to_dict` stored.

    Raises:
        ValueError: the data is not a snapshot of a version we know.
    """
    if data.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"unknown metrics snapshot version {data.get('version')!r}")
    steps = tuple(_step_from_dict(step) for step in data["steps"])
    by_key = {step.key: step for step in steps}
    return CycleMetrics(
        steps=steps,
        wait_s=int(data["wait_s"]),
        process_s=int(data["process_s"]),
        lead_s=int(data["lead_s"]),
        activity_ratio=data["activity_ratio"],
        rolled_ca=data["rolled_ca"],
        partial=bool(data["partial"]),
        missing_steps=tuple(data["missing_steps"]),
        unrated_steps=tuple(data["unrated_steps"]),
        bottleneck=None if data["bottleneck"] is None else by_key[data["bottleneck"]],
        bottleneck_share=data["bottleneck_share"],
    )


def _step_to_dict(step: StepMetrics) -> dict[str, Any]:
    data = asdict(step)
    data["carried_fields"] = list(step.carried_fields)
    return data


def _step_from_dict(data: Mapping[str, Any]) -> StepMetrics:
    return StepMetrics(
        key=int(data["key"]),
        position=int(data["position"]),
        name=str(data["name"]),
        wait_s=data["wait_s"],
        process_s=data["process_s"],
        lead_s=data["lead_s"],
        ca=data["ca"],
        respondents=int(data["respondents"]),
        carried_fields=tuple(cast(list[StepField], data["carried_fields"])),
    )
