"""The production index: Elasticsearch through the official client.

Lookups and writes go to an alias (`<prefix>-records`) that names one versioned index (`<prefix>-records-<time>`).
`sohoa reindex` fills a new index from the archive and moves the alias in one `_aliases` request, so a lookup never
sees a half-built index. The client retries 429/502/503/504 and timeouts; after that, and when the cluster cannot be
reached, callers get `IndexUnavailable` with a sentence for the clerk, and the pipeline queues the record.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from indexer.base import Hit, IndexUnavailable, RecordQuery
from indexer.document import IndexedRecord
from indexer.es_query import review_body, search_body, types_body
from indexer.es_template import index_template
from indexer.settings import ElasticSettings

T = TypeVar("T")
RETRY_STATUSES = (429, 502, 503, 504)
BULK_CHUNK = 500


def make_client(s: ElasticSettings) -> Elasticsearch:
    options: dict[str, Any] = {
        "request_timeout": s.request_timeout, "max_retries": s.max_retries, "retry_on_status": RETRY_STATUSES,
        "retry_on_timeout": True,
    }
    if s.api_key:
        options["api_key"] = s.api_key
    elif s.username:  # encoded here as UTF-8: the client's own encoding refuses a password with diacritics
        token = base64.b64encode(f"{s.username}:{s.password}".encode()).decode("ascii")
        options["headers"] = {"Authorization": f"Basic {token}"}
    if s.ca_file:
        options["ca_certs"] = s.ca_file
    return Elasticsearch(list(s.urls), **options)


def _failure_reason(item: dict[str, Any]) -> tuple[str, str]:
    """(result code, reason) from one failed bulk item, shaped {"index": {"_id", "status", "error": {...}}}."""
    op = next(iter(item.values()))
    error = op.get("error") or {}
    reason = error.get("reason", str(error)) if isinstance(error, dict) else str(error)
    kind = error.get("type", "") if isinstance(error, dict) else ""
    return str(op.get("_id", "")), f"{op.get('status', '')} {kind}: {reason}".strip()


class ElasticIndex:
    def __init__(self, settings: ElasticSettings, client: Elasticsearch | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)
        self.alias = f"{settings.index_prefix}-records"
        self._ready = False
        self._lock = threading.Lock()

    # --- errors and set-up -----------------------------------------------------------------------------------

    def _call(self, fn: Callable[[], T]) -> T:
        """Run one request; what is still failing after the client's retries becomes a sentence for the clerk."""
        where = ", ".join(self.settings.urls)
        try:
            return fn()
        except TransportConnectionError as e:
            raise IndexUnavailable(f"cannot connect to Elasticsearch at {where}: {e}", "es_unreachable", where=where,
                                   reason=e) from e
        except ApiError as e:
            if e.meta.status in (401, 403):
                raise IndexUnavailable(f"Elasticsearch at {where} refused our credentials ({e.meta.status}): "
                                       f"{e.message}", "es_credentials", where=where, status=e.meta.status,
                                       reason=e.message) from e
            retried = e.meta.status in RETRY_STATUSES
            raise IndexUnavailable(f"Elasticsearch at {where} answered {e.meta.status} ({e.message})",
                                   "es_error_retried" if retried else "es_error", where=where, status=e.meta.status,
                                   reason=e.message, retries=self.settings.max_retries) from e
        except TransportError as e:
            raise IndexUnavailable(f"Elasticsearch at {where} did not answer: {e}", "es_no_answer", where=where,
                                   reason=e) from e

    def template_name(self) -> str:
        return self.alias

    def new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def ensure(self) -> None:
        """Before the first write: install the index template, and create the first versioned index behind the
        alias if there is none."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            template = index_template(self.settings.index_prefix, self.settings.shards, self.settings.replicas)
            self._call(lambda: self.client.indices.put_index_template(name=self.template_name(), **template))
            if not self._call(lambda: bool(self.client.indices.exists_alias(name=self.alias))):
                name = self.new_index_name()
                self._call(lambda: self.client.indices.create(index=name,
                                                              aliases={self.alias: {"is_write_index": True}}))
            self._ready = True

    def indices(self) -> list[str]:
        """The versioned indices the alias names now (one, except for an instant during a swap)."""
        return sorted(self._read(lambda: self.client.indices.get_alias(name=self.alias).body, {}))

    # --- writing ---------------------------------------------------------------------------------------------

    def upsert(self, record: IndexedRecord) -> None:
        self.ensure()
        self._call(lambda: self.client.index(index=self.alias, id=record.result_code, document=record.source()))

    def upsert_many(self, records: Iterable[IndexedRecord]) -> list[tuple[str, str]]:
        self.ensure()
        return self.bulk(self.alias, records)

    def bulk(self, index: str, records: Iterable[IndexedRecord]) -> list[tuple[str, str]]:
        """Bulk-index into `index`; items refused with 429 are retried with backoff, others returned with reasons."""
        def actions() -> Iterator[dict[str, Any]]:
            for r in records:
                yield {"_op_type": "index", "_index": index, "_id": r.result_code, "_source": r.source()}

        def run() -> list[tuple[str, str]]:
            return [_failure_reason(item) for ok, item in streaming_bulk(
                self.client, actions(), chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=3,
                initial_backoff=0.5, max_backoff=5, yield_ok=False) if not ok]

        return self._call(run)

    def remove(self, result_code: str) -> None:
        self.ensure()
        self._call(lambda: self.client.options(ignore_status=404).delete(index=self.alias, id=result_code))

    def refresh(self) -> None:
        self.ensure()
        self._call(lambda: self.client.indices.refresh(index=self.alias))

    def start_build(self) -> ElasticBuild:
        self.ensure()
        return ElasticBuild(self)

    # --- reading: no set-up, so a user allowed only to read can look up; before the first write nothing is found ---

    def _read(self, fn: Callable[[], T], nothing: T) -> T:
        try:
            return self._call(fn)
        except IndexUnavailable as e:
            if isinstance(e.__cause__, NotFoundError):  # no index yet, or (for get) no such document
                return nothing
            raise

    def _hits(self, body: dict[str, Any]) -> list[Hit]:
        nothing: dict[str, Any] = {"hits": {"hits": []}}
        found = self._read(lambda: self.client.search(index=self.alias, **body).body, nothing)
        return [IndexedRecord.from_source(h["_source"]) for h in found["hits"]["hits"]]

    def find(self, query: RecordQuery) -> list[Hit]:
        return self._hits(search_body(query))

    def get(self, result_code: str) -> Hit | None:
        found: dict[str, Any] | None = self._read(
            lambda: self.client.get(index=self.alias, id=result_code).body, None)
        return IndexedRecord.from_source(found["_source"]) if found else None

    def review_queue(self, limit: int = 100) -> list[Hit]:
        return self._hits(review_body(limit))

    def count(self) -> int:
        return int(self._read(lambda: self.client.count(index=self.alias).body, {"count": 0})["count"])

    def count_by_type(self) -> dict[str, int]:
        empty: dict[str, Any] = {"aggregations": {"types": {"buckets": []}}}
        found = self._read(lambda: self.client.search(index=self.alias, **types_body()).body, empty)
        return {str(b["key"]): int(b["doc_count"]) for b in found["aggregations"]["types"]["buckets"]}

    def __repr__(self) -> str:
        return f"ElasticIndex({', '.join(self.settings.urls)!r}, alias={self.alias!r})"


class ElasticBuild:
    """A new versioned index, filled with refresh turned off; `publish` moves the alias to it and drops the old."""

    def __init__(self, index: ElasticIndex) -> None:
        self.index = index
        self.name = index.new_index_name()
        client = index.client
        # Filled without refresh or replicas (each replica would index every record again); both come at publish.
        index._call(lambda: client.indices.create(index=self.name, settings={"refresh_interval": "-1",
                                                                             "number_of_replicas": 0}))

    def add(self, records: Iterable[IndexedRecord]) -> int:
        counted = 0

        def counting() -> Iterator[IndexedRecord]:
            nonlocal counted
            for r in records:
                counted += 1
                yield r

        failures = self.index.bulk(self.name, counting())
        if failures:
            code, reason = failures[0]
            raise IndexUnavailable(f"Elasticsearch refused {len(failures)} records of the new index (e.g. {code}: "
                                   f"{reason})", "es_build_refused", count=len(failures), record=code, reason=reason)
        return counted

    def publish(self) -> None:
        index, client = self.index, self.index.client
        index._call(lambda: client.indices.put_settings(index=self.name, settings={
            "refresh_interval": None, "number_of_replicas": index.settings.replicas}))
        index._call(lambda: client.indices.refresh(index=self.name))
        old = [name for name in index.indices() if name != self.name]
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": index.alias}} for name in old]
        actions.append({"add": {"index": self.name, "alias": index.alias, "is_write_index": True}})
        index._call(lambda: client.indices.update_aliases(actions=actions))
        for name in old:
            index._call(partial(client.options(ignore_status=404).indices.delete, index=name))

    def abandon(self) -> None:
        client = self.index.client
        self.index._call(lambda: client.options(ignore_status=404).indices.delete(index=self.name))
