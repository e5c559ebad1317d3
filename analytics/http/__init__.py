"""encore's one HTTP edge: the retry policy and the paginator every external API client uses.

Whichever library carries the bytes (requests under spotipy for Spotify, httpx for the social
platforms, MusicBrainz, the alert channels and the LLM), its client retries through
:func:`~analytics.http.retry.call_with_retries` and pages through :mod:`analytics.http.paging`;
texts it logs or raises go through :mod:`analytics.observability.redaction`.
"""
