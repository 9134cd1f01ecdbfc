"""Prometheus metrics at /metrics: requests and latency per endpoint, plus the features' own counts.

Features never import prometheus-client: they call ``count("answers_saved")`` or ``observe(...)`` /
``timed("search_seconds")`` with a name from ``METRICS``. Under gunicorn (``klarret serve``) every worker
writes its values to files in a folder the workers share (the client's multiprocess mode), and /metrics
sums them, whichever worker answers. /metrics is for the monitoring system only: a Bearer token
(KLARRET_METRICS_TOKEN) or an allowed address (KLARRET_METRICS_ALLOW); with neither set it does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, request

from klarret import settings

# name -> (kind, help, label names). Counters are exposed with "_total" after the name.
METRICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "http_requests": ("counter", "HTTP requests answered, per endpoint, method and status",
                      ("endpoint", "method", "status")),
    "http_request_seconds": ("histogram", "Time to answer a request, per endpoint", ("endpoint",)),
    "search_seconds": ("histogram", "Time to answer a search (the engine only, without the page)", ()),
    "answers_saved": ("counter", "Course answers saved", ()),
    "attempts_submitted": ("counter", "Course attempts submitted", ()),
    "imports": ("counter", "HR imports applied (from the web page or the command)", ()),
    "reminders_sent": ("counter", "Reminder and digest e-mails sent", ()),
    "reminders_failed": ("counter", "Reminder and digest e-mails that could not be sent", ()),
}
PREFIX = "klarret_"


@cache
def _state() -> tuple[Any, dict[str, Any]]:
    """This process's registry and metric objects, made on first use (so after gunicorn forks its workers)."""
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry()
    kinds = {"counter": Counter, "histogram": Histogram}
    made = {name: kinds[kind](PREFIX + name, text, labels, registry=registry)
            for name, (kind, text, labels) in METRICS.items()}
    return registry, made


def count(name: str, amount: float = 1, **labels: str) -> None:
    """Add ``amount`` to the counter ``name`` (a key of METRICS), with its labels if it has any."""
    metric = _state()[1][name]
    (metric.labels(**labels) if labels else metric).inc(amount)


def observe(name: str, seconds: float, **labels: str) -> None:
    """Record one duration in the histogram ``name``."""
    metric = _state()[1][name]
    (metric.labels(**labels) if labels else metric).observe(seconds)


@contextmanager
def timed(name: str, **labels: str) -> Iterator[None]:
    """Record how long the block takes in the histogram ``name`` (also when it raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        observe(name, time.perf_counter() - start, **labels)


def prepare_multiprocess(folder: Path) -> None:
    """Switch this process (and the workers it forks) to the shared-files mode, in an emptied ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    settings.export_metrics_dir(folder)
    from prometheus_client import values

    values.ValueClass = values.get_value_class()  # the client chose its mode at import, before the folder was set
    _state.cache_clear()


def worker_exited(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def exposition() -> tuple[bytes, str]:
    """The metrics text: summed over the workers' files in multiprocess mode, else this process's own."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

    if settings.metrics_dir() is not None:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = _state()[0]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def _check_access() -> None:
    """404 when /metrics is not set up, 403 for a caller with neither the token nor an allowed address."""
    config = settings.current()
    if not config.metrics_token and not config.metrics_allow:
        abort(404)
    given = request.headers.get("Authorization", "")
    if config.metrics_token and hmac.compare_digest(given.encode(), f"Bearer {config.metrics_token}".encode()):
        return
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        abort(403)
    if not any(address in network for network in config.metrics_allow):
        abort(403)


def metrics_view() -> Response:
    """GET /metrics in Prometheus's text format."""
    _check_access()
    body, content_type = exposition()
    return Response(body, content_type=content_type)


def _start_timer() -> None:
    g.klarret_request_start = time.perf_counter()


def _record_request(response: Response) -> Response:
    start = g.pop("klarret_request_start", None)
    if start is not None:
        # The endpoint, never the path: paths carry ids and would make a series per person.
        endpoint = request.endpoint or "unmatched"
        count("http_requests", endpoint=endpoint, method=request.method, status=str(response.status_code))
        observe("http_request_seconds", time.perf_counter() - start, endpoint=endpoint)
    return response


def init_app(app: Flask) -> None:
    """Register /metrics and the per-request timing."""
    app.before_request(_start_timer)
    app.after_request(_record_request)
    app.add_url_rule("/metrics", "metrics", metrics_view)
