"""Plain-language lines about failed expectations, from a GX validation result as JSON.

Pure functions over the dict that ``ExpectationSuiteValidationResult.to_json_dict()`` gives:
they name each failed expectation with its main arguments and quote a short sample of bad
rows — only the suite's id columns and the offending value, each truncated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SAMPLE_ROWS = 3
MAX_TEXT = 40
_KWARGS_NOT_SHOWN = {"batch_id", "column", "column_list", "row_condition", "mostly", "result_format"}


def short(value: Any, *, limit: int = MAX_TEXT) -> str:
    """``value`` as short text: strings unquoted, whole floats as integers, cut with '…'."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (set, frozenset, list, tuple)):
        text = "{" + ", ".join(short(v, limit=limit) for v in value) + "}"
    else:
        text = str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expectation_label(config: Mapping[str, Any]) -> str:
    """E.g. ``expect_column_values_to_be_between(duration_ms, 1000, 3600000)``."""
    kwargs: Mapping[str, Any] = config.get("kwargs") or {}
    args: list[str] = []
    if "column" in kwargs:
        args.append(str(kwargs["column"]))
    if "column_list" in kwargs:
        args.append(", ".join(map(str, kwargs["column_list"])))
    if "column_A" in kwargs and "column_B" in kwargs:
        args.extend([str(kwargs["column_A"]), str(kwargs["column_B"])])
    if "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and high is not None:
            args.extend([short(low), short(high)])
        elif low is not None:
            args.append(f">= {short(low)}")
        elif high is not None:
            args.append(f"<= {short(high)}")
    for key, value in kwargs.items():
        if key in _KWARGS_NOT_SHOWN or key in {"min_value", "max_value"} or value is None:
            continue
        if key in {"regex", "strftime_format", "value_set", "column_set", "type_", "value"}:
            args.append(short(value, limit=60))
    label = f"{config.get('type', 'expectation')}({', '.join(args)})"
    condition = kwargs.get("row_condition")
    if condition:
        label += f" where {condition_text(condition)}"
    return label


def condition_text(condition: Any) -> str:
    """A GX row condition (serialised Condition or legacy string) as short text."""
    if isinstance(condition, Mapping):
        if condition.get("type") == "comparison":
            column = condition.get("column") or {}
            name = column.get("name") if isinstance(column, Mapping) else column
            return f"{name} {condition.get('operator')} {short(condition.get('parameter'))}"
        if condition.get("type") in {"and", "or"}:
            parts = [condition_text(c) for c in condition.get("conditions", [])]
            return f" {condition['type']} ".join(parts)
        if condition.get("type") == "nullity":
            column = condition.get("column") or {}
            name = column.get("name") if isinstance(column, Mapping) else column
            return f"{name} is {'null' if condition.get('is_null') else 'not null'}"
        if "pass_through_filter" in condition:
            return short(condition["pass_through_filter"], limit=60)
    return short(condition, limit=60)


def exception_message(entry: Mapping[str, Any]) -> str | None:
    """The message of the exception GX met running this expectation, if it met one."""
    info = entry.get("exception_info") or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "unknown error")
    for value in info.values():  # keyed by metric id when a metric failed
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message") or "unknown error")
    return None


def failure_line(entry: Mapping[str, Any], *, id_columns: Sequence[str]) -> str:
    """One line about one failed expectation: what it checks, how many rows, which ones."""
    label = expectation_label(entry.get("expectation_config") or {})
    return f"{label}: {result_text(entry, id_columns=id_columns)}"


def result_text(entry: Mapping[str, Any], *, id_columns: Sequence[str]) -> str:
    """What an expectation found, e.g. ``3 of 412 rows null, e.g. track_id 4uLU6hMC…``."""
    config = entry.get("expectation_config") or {}
    error = exception_message(entry)
    if error is not None:
        return f"could not run: {short(error, limit=160)}"
    result: Mapping[str, Any] = entry.get("result") or {}
    if "unexpected_count" not in result:
        return _observed(result) if not entry.get("success") else "ok"
    count = int(result.get("unexpected_count") or 0)
    total = result.get("element_count")
    what = "null" if config.get("type") == "expect_column_values_to_not_be_null" else "unexpected"
    rows = "row" if count == 1 and total is None else "rows"
    head = f"{count} of {total} {rows} {what}" if total is not None else f"{count} {rows} {what}"
    examples = sample_rows(result, config=config, id_columns=id_columns)
    return head + (f", e.g. {'; '.join(examples)}" if examples else "")


def sample_rows(
    result: Mapping[str, Any],
    *,
    config: Mapping[str, Any],
    id_columns: Sequence[str],
    limit: int = SAMPLE_ROWS,
) -> list[str]:
    """Up to ``limit`` bad rows as ``<id column> <id> = <value>``, truncated."""
    kwargs = config.get("kwargs") or {}
    value_columns = [kwargs["column"]] if "column" in kwargs else list(kwargs.get("column_list") or [])
    show_value = config.get("type") != "expect_column_values_to_not_be_null"
    rows: list[str] = []
    index_list: Iterable[Any] = result.get("partial_unexpected_index_list") or []
    for item in index_list:
        if len(rows) >= limit:
            break
        if isinstance(item, Mapping):
            ids = [f"{col} {short(item[col], limit=24)}" for col in id_columns if col in item]
            values = [short(item[col]) for col in value_columns if col in item and col not in id_columns]
            text = ", ".join(ids) or "row"
            if show_value and values:
                text += " = " + ", ".join(values)
            rows.append(text)
        else:
            rows.append(f"row {short(item)}")
    if not rows and show_value:
        rows = [f"= {short(v)}" for v in (result.get("partial_unexpected_list") or [])[:limit]]
    return rows


def _observed(result: Mapping[str, Any]) -> str:
    details = result.get("details") or {}
    mismatched = details.get("mismatched") if isinstance(details, Mapping) else None
    if isinstance(mismatched, Mapping) and mismatched.get("missing"):
        return f"missing column(s) {short(mismatched['missing'], limit=120)}"
    if "observed_value" in result:
        return f"observed {short(result['observed_value'], limit=80)}"
    return "failed"
