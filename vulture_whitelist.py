"""Names that look unused to ``vulture`` (``make lint``) but are read by something it cannot see.

vulture only parses this file: each line uses a name so that its definitions count as used.
Whole kinds (framework decorators, pydantic's ``model_config``, mapped tables, migrations) are
set in ``[tool.vulture]`` of pyproject.toml; a name is listed here only with the reason it lives.
"""

from vulture.whitelists.whitelist_utils import Whitelist

_ = Whitelist()

# uvicorn polls ``Server.should_exit`` to stop serving; the loopback servers set it.
_.should_exit
# uvicorn reads ``RequestResponseCycle.disconnected``; the sandbox's fault injection sets it.
_.disconnected
# Great Expectations reads its context's ``variables.progress_bars`` (set to keep runs quiet).
_.progress_bars
# A mapped column: the ORM writes ``OutboxRow.sent_at`` to the warehouse.
_.sent_at

# Fields of the Web API's payloads: the typed models say what Spotify sends, whether or not a
# caller reads it yet (``available_markets`` is an extended-quota field, see capabilities.py).
_.ean
_.is_local
_.available_markets
_.item_uri

# Called by the libraries we subclass or configure: spotipy's CacheHandler saves tokens through
# ``save_token_to_cache``, its ``Spotify._internal_call`` is overridden, and its OAuth manager
# builds the authorize URL from ``OAUTH_AUTHORIZE_URL``.
_.save_token_to_cache
_._internal_call
_.OAUTH_AUTHORIZE_URL

# Parameters whose names are fixed by the signature they implement: OpenTelemetry's
# ``TracerProvider.get_tracer``, redis-py's stream commands (``StreamsClient``) and the
# context-manager protocol's ``__exit__``.
_.instrumenting_module_name
_.instrumenting_library_version
_.schema_url
_.groupname
_.consumername
_.min_idle_time
_.transaction
_.exc_type
_.tb

# Documented for people trying encore: ``SpotifySandbox.set_quota_mode`` (docs/sandbox.md) and
# ``DemoStreams.iter_events`` (docs/streaming.md).
_.set_quota_mode
_.iter_events

# Run by hand: ``reliability.hostile.write_corpus`` rewrites the committed tests/data/hostile files.
_.write_corpus
# A field of the tempo set's plan, written to its CSV through ``dataclasses.asdict``.
_.start_s

# pytest-xdist's scheduler hook (tests/conftest.py): the overridden ``_split_scope`` and the
# ``loadscopereorder`` option it reads; ``sys.dont_write_bytecode`` is read by the interpreter.
_._split_scope
_.loadscopereorder
_.dont_write_bytecode
# A fixture requested by tests for what it writes, not for a value (tests/flows/test_world.py).
_.sqlite_catalog
# Prefect's ``SubprocessASGIServer.start`` calls ``_run_uvicorn_command``; encore's temporary API
# server overrides it to start uvicorn with a parent-death signal (flows/_lifetime.py).
_._run_uvicorn_command
# PyAV reads attributes set on its objects: the decoder's ``thread_count`` and a frame's ``pts``
# (cleared before the frame goes into an ``AudioFifo``) (analytics/audio/decode.py).
_.thread_count
_.pts
# The JIT warm-up child runs it by name (analytics/jit.py WARM_UP_COMMAND), in a fresh process.
_.warm_all
# papermill calls it on the engine registered as SHARED_KERNEL_ENGINE (flows/_notebooks.py).
_.execute_managed_notebook
