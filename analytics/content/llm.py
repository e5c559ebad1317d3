"""Any OpenAI-compatible chat API (Ollama, vLLM, llama.cpp server, hosted) as a content backend.

The model sees the fact sheet and the task, nothing else. Its answer is validated like any draft;
one that invents a number or a name is rejected and replaced (see :func:`generate_drafts`).
Requests go over httpx with timeouts and encore's retry policy (:mod:`analytics.http.retry`): a
bounded number of attempts on 429, 5xx and network errors; a ``Retry-After`` up to ``max_wait_s``
is waited out, a longer one stops at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from analytics.content.backend import BackendError, BackendText, ContentBackend, DraftRequest
from analytics.content.generator import GroundedGenerator
from analytics.http.retry import (
    GiveUp,
    RetryPolicy,
    Transient,
    call_with_retries,
    raise_for_retry,
)
from analytics.observability.redaction import CLIENT_MASK, Redactor, redact_client

_LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German"}
SYSTEM_PROMPT = """You write short texts for an independent music artist's channels.
Rules:
- Use only the facts in the JSON you are given. Never add a number, date, name, place, award or
  claim that is not in the facts. Do not compute new numbers (no sums, no differences).
- Write numbers and dates as the given locale does.
- Put song, album and playlist titles in the language's quotation marks.
- Plain text only: no markdown, no HTML, no links, no @mentions, no placeholders.
- Answer with the text only, nothing before or after it."""
PROMPT_VERSION = "prompt-1+" + hashlib.sha256(SYSTEM_PROMPT.encode()).hexdigest()[:10]


def _task(request: DraftRequest) -> str:
    facts = request.facts.model_dump(mode="json", exclude={"coverage"})
    for fact in facts["facts"]:
        fact.pop("source", None)
    task = {
        "content_type": request.kind.value,
        "language": _LANGUAGE_NAMES[request.language],
        "locale": request.language,
        "platform": request.platform,
        "max_characters": request.limit,
    }
    return (
        "Task:\n"
        + json.dumps(task, ensure_ascii=False)
        + "\nFacts:\n"
        + json.dumps(facts, ensure_ascii=False)
    )


def _clean(answer: str) -> str:
    text = answer.strip()
    text = re.sub(r"^```\w*\n?|\n?```$", "", text).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


class OpenAICompatibleBackend:
    """Chat-completions client for one model.

    Parameters
    ----------
    base_url : the API root including its version, e.g. ``http://127.0.0.1:11434/v1``.
    model : the model name the server knows.
    api_key : sent as a bearer token when given; never logged.
    timeout_s : read timeout of one request (connect timeout 5 s).
    max_retries : further attempts after the first on 429/5xx/network errors.
    max_wait_s : the longest single wait; a ``Retry-After`` beyond it stops at once.
    """

    name = "openai-compatible"

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        max_wait_s: float = 10.0,
        temperature: float = 0.7,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm base URL must start with http:// or https://, got {base_url!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.template_version = PROMPT_VERSION
        self._secrets = Redactor([api_key] if api_key else [])
        self.temperature = temperature
        # one budget of tries whatever went wrong; a Retry-After longer than max_wait_s stops
        self.policy = RetryPolicy(
            max_attempts=max_retries + 1,
            base_delay_s=0.5,
            max_delay_s=max_wait_s,
            jitter=0.0,
            max_retry_wait_s=max_wait_s,
            rate_limits_are_attempts=True,
        )
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=5.0), headers=headers)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAICompatibleBackend:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _redact(self, text: str) -> str:
        return redact_client(self._secrets.hide_values(text, mask=CLIENT_MASK))

    def write(self, request: DraftRequest) -> BackendText:
        body = {
            "model": self.model,
            "temperature": self.temperature,
            "seed": request.seed,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": _task(request)},
            ],
        }
        data = self._post(body)
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise BackendError(f"{self.url}: answer has no choices[0].message.content ({exc!r})") from exc
        if not isinstance(content, str) or not content.strip():
            raise BackendError(f"{self.url}: the model {self.model} returned an empty text")
        text = _clean(content)
        tags = tuple(dict.fromkeys(re.findall(r"#[^\W_][\w]*", text)))
        return BackendText(
            text=text,
            backend=self.name,
            model=str(data.get("model") or self.model),
            template_version=self.template_version,
            hashtags=tags,
        )

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        return call_with_retries(
            lambda: self._attempt(body),
            policy=self.policy,
            give_up=self._give_up,
            sleep=self._sleep,
        )

    def _attempt(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.post(self.url, json=body)
        except httpx.TransportError as exc:
            raise Transient(f"{type(exc).__name__}: {self._redact(str(exc))}") from None
        if response.status_code == 200:
            try:
                result: dict[str, Any] = response.json()
            except ValueError as exc:
                raise BackendError(f"{self.url}: answer is not JSON ({exc})") from exc
            return result
        last = f"HTTP {response.status_code}: {self._redact(response.text[:200])}"
        raise_for_retry(response.status_code, response.headers.get("Retry-After"), what=last)
        raise BackendError(f"{self.url} refused the request with {last}; check llm_model and llm_api_key")

    def _give_up(self, stop: GiveUp) -> BackendError:
        if stop.reason == "too_long":
            return BackendError(
                f"{self.url} asked to wait {stop.wait_s:.0f} s, longer than the {self.policy.max_retry_wait_s:g} s "
                f"encore waits; last error {stop.failure.what}"
            )
        return BackendError(
            f"{self.url} failed after {stop.attempts} attempts; last error {stop.failure.what}"
        )


def backend_from_settings(settings: Any) -> ContentBackend:
    """The OpenAI-compatible backend if ``llm_base_url`` and ``llm_model`` are set, else the default."""
    if settings.llm_base_url and settings.llm_model:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return OpenAICompatibleBackend(settings.llm_base_url, model=settings.llm_model, api_key=key)
    return GroundedGenerator()
