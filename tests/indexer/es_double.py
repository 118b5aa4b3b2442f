"""A recording stand-in for an Elasticsearch 8 node, for testing the Elasticsearch backend at the request level.

No Elasticsearch server can run on these machines. The real `elasticsearch` client is pointed at this HTTP endpoint
on 127.0.0.1: every request it sends is recorded (method, path, parameters, JSON or NDJSON body) for the tests to
assert, and each is answered in the shape the Elasticsearch reference documents. So that the shared contract suite
can run unchanged, the endpoint evaluates the subset of the query DSL that sohoa sends (bool, term, terms, range,
fuzzy, match, match_phrase, multi_match cross_fields, more_like_this, nested, constant_score; terms aggregations;
sort with missing) with the index template's analyzers and normalisers, written here independently of sohoa's own
normal forms.
It is not Elasticsearch: BM25 is replaced by counting matched words, and only what sohoa uses is implemented.
The live tests (SOHOA_ES_URL) run the same suite against a real cluster.

Faults can be injected: whole requests answered 429/503 (`fail`), and single bulk items refused (`reject_item`).
"""

from __future__ import annotations

import fnmatch
import json
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

ERROR_TYPES = {400: "illegal_argument_exception", 404: "index_not_found_exception",
               429: "es_rejected_execution_exception", 503: "unavailable_shards_exception"}
_EXTRA_FOLD = {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "‐": "-", "‑": "-",
               "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"}


def ascii_folding(text: str) -> str:
    """Lucene's ASCIIFoldingFilter for the letters Vietnamese and codes use."""
    out = []
    for ch in text:
        if ch in _EXTRA_FOLD:
            out.append(_EXTRA_FOLD[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base.isascii() else ch)
    return "".join(out)


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text.strip())


def osa_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of two neighbouring letters as one edit (Lucene's transpositions)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # parsed JSON, a list of parsed NDJSON lines for _bulk, or None
    headers: dict[str, str]  # names in lower case


@dataclass
class Index:
    name: str
    settings: dict[str, Any]
    mappings: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)


class EsError(Exception):
    def __init__(self, status: int, reason: str, kind: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.kind = status, reason, kind or ERROR_TYPES.get(status, "exception")

    def body(self) -> dict[str, Any]:
        cause = {"type": self.kind, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


# --- analysis -------------------------------------------------------------------------------------------------------


class Analysis:
    """The analyzers and normalisers an index's settings define (only the filters sohoa's template uses)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        analysis = settings.get("analysis", {})
        self.filters = analysis.get("filter", {})
        self.char_filters = analysis.get("char_filter", {})
        self.analyzers = analysis.get("analyzer", {})
        self.normalizers = analysis.get("normalizer", {})

    def _apply(self, names: list[str], token: str) -> str:
        for name in names:
            if name == "lowercase":
                token = token.lower()
            elif name == "asciifolding":
                token = ascii_folding(token)
            elif name == "trim":
                token = token.strip()
            elif name in self.filters and self.filters[name]["type"] == "pattern_replace":
                f = self.filters[name]
                token = re.sub(f["pattern"], f.get("replacement", ""), token)
            else:
                raise EsError(400, f"unknown filter [{name}]")
        return token

    def _chars(self, names: list[str], text: str) -> str:
        """Mapping char filters: rules "a=>b" with \\uXXXX escapes, the longest match first, as Lucene applies them."""
        for name in names:
            f = self.char_filters.get(name)
            if f is None or f["type"] != "mapping":
                raise EsError(400, f"char filter [{name}] not supported by the double")
            rules = {}
            for rule in f["mappings"]:
                key, _, value = rule.partition("=>")
                rules[_unescape(key)] = _unescape(value)
            for key in sorted(rules, key=len, reverse=True):
                text = text.replace(key, rules[key])
        return text

    def tokens(self, analyzer: str | None, text: str) -> list[str]:
        definition = self.analyzers.get(analyzer or "standard", {"filter": ["lowercase"]})
        if definition.get("tokenizer", "standard") != "standard":
            raise EsError(400, f"tokenizer {definition['tokenizer']} not supported by the double")
        text = self._chars(definition.get("char_filter", []), text)
        return [self._apply(definition.get("filter", []), t) for t in re.findall(r"\w+", text)]

    def normalize(self, normalizer: str | None, value: str) -> str:
        if normalizer is None:
            return value
        definition = self.normalizers[normalizer]
        return self._apply(definition.get("filter", []), self._chars(definition.get("char_filter", []), value))


def field_mapping(mappings: dict[str, Any], name: str) -> tuple[str, dict[str, Any], str | None]:
    """(source path, mapping, nested path) of a field name such as persons.name.exact (a sub-field of persons.name)."""
    props = mappings.get("properties", {})
    parts = name.split(".")
    path: list[str] = []
    nested: str | None = None
    mapping: dict[str, Any] = {}
    for i, part in enumerate(parts):
        if part in props:
            mapping = props[part]
            path.append(part)
            if mapping.get("type") == "nested":
                nested = ".".join(path)
            props = mapping.get("properties", {})
        elif part in mapping.get("fields", {}) and i == len(parts) - 1:
            return ".".join(path), mapping["fields"][part], nested
        else:
            raise EsError(400, f"no mapping for field [{name}]")
    return ".".join(path), mapping, nested


def source_values(doc: dict[str, Any], path: str) -> list[Any]:
    values: list[Any] = [doc]
    for part in path.split("."):
        nxt: list[Any] = []
        for v in values:
            if isinstance(v, dict) and part in v:
                got = v[part]
                nxt.extend(got if isinstance(got, list) else [got])
        values = nxt
    return [v for v in values if v is not None]


# --- queries --------------------------------------------------------------------------------------------------------


class Evaluator:
    def __init__(self, index: Index) -> None:
        self.mappings = index.mappings
        self.analysis = Analysis(index.settings)
        self.docs = index.docs

    def _terms(self, doc: dict[str, Any], name: str, scope: str | None) -> tuple[list[Any], dict[str, Any]]:
        path, mapping, _ = field_mapping(self.mappings, name)
        local = path[len(scope) + 1:] if scope and path.startswith(scope + ".") else path
        values = source_values(doc, local)
        kind = mapping.get("type")
        if kind == "keyword":
            return [self.analysis.normalize(mapping.get("normalizer"), str(v)) for v in values], mapping
        return values, mapping

    def _query_term(self, mapping: dict[str, Any], value: Any) -> Any:
        if mapping.get("type") == "keyword":
            return self.analysis.normalize(mapping.get("normalizer"), str(value))
        return value

    def _text_tokens(self, doc: dict[str, Any], name: str, scope: str | None) -> list[list[str]]:
        path, mapping, _ = field_mapping(self.mappings, name)
        local = path[len(scope) + 1:] if scope and path.startswith(scope + ".") else path
        return [self.analysis.tokens(mapping.get("analyzer"), str(v)) for v in source_values(doc, local)]

    def score(self, q: dict[str, Any], doc: dict[str, Any], scope: str | None = None) -> float | None:
        """The score of `doc` for query `q`, None when it does not match."""
        [(kind, body)] = q.items()
        handler: Callable[[Any, dict[str, Any], str | None], float | None] = getattr(self, f"_q_{kind}", None) \
            or (lambda *_: (_ for _ in ()).throw(EsError(400, f"query [{kind}] not supported by the double")))
        return handler(body, doc, scope)

    def _q_match_all(self, body: Any, doc: dict[str, Any], scope: str | None) -> float | None:
        return 1.0

    def _q_bool(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        total = 0.0
        for clause in body.get("must", []):
            s = self.score(clause, doc, scope)
            if s is None:
                return None
            total += s
        for clause in body.get("filter", []):
            if self.score(clause, doc, scope) is None:
                return None
        for clause in body.get("must_not", []):
            if self.score(clause, doc, scope) is not None:
                return None
        should = [s for c in body.get("should", []) if (s := self.score(c, doc, scope)) is not None]
        needed = body.get("minimum_should_match", 0 if (body.get("must") or body.get("filter")) else 1)
        if body.get("should") and len(should) < int(needed):
            return None
        return total + sum(should)

    def _q_constant_score(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        return None if self.score(body["filter"], doc, scope) is None else float(body.get("boost", 1.0))

    def _q_nested(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        scores = [s for obj in source_values(doc, body["path"])
                  if (s := self.score(body["query"], obj, body["path"])) is not None]
        if not scores:
            return None
        mode = body.get("score_mode", "avg")
        return {"max": max(scores), "sum": sum(scores), "min": min(scores)}.get(mode, sum(scores) / len(scores))

    @staticmethod
    def _field(body: dict[str, Any]) -> tuple[str, Any]:
        [(name, spec)] = body.items()
        return name, spec

    def _q_term(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, spec = self._field(body)
        value = spec["value"] if isinstance(spec, dict) else spec
        terms, mapping = self._terms(doc, name, scope)
        return 1.0 if self._query_term(mapping, value) in terms else None

    def _q_exists(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        path, _, _ = field_mapping(self.mappings, body["field"])
        local = path[len(scope) + 1:] if scope and path.startswith(scope + ".") else path
        return 1.0 if any(v is not None for v in source_values(doc, local)) else None

    def _q_terms(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, values = self._field(body)
        terms, mapping = self._terms(doc, name, scope)
        return 1.0 if any(self._query_term(mapping, v) in terms for v in values) else None

    def _q_range(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, bounds = self._field(body)
        terms, _ = self._terms(doc, name, scope)
        checks = {"gte": lambda v, b: v >= b, "gt": lambda v, b: v > b, "lte": lambda v, b: v <= b,
                  "lt": lambda v, b: v < b}
        ok = any(all(checks[op](v, b) for op, b in bounds.items() if op in checks) for v in terms)
        return 1.0 if ok else None

    def _q_fuzzy(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, spec = self._field(body)
        terms, mapping = self._terms(doc, name, scope)
        wanted = self._query_term(mapping, spec["value"])
        allowed = int(spec.get("fuzziness", 2))
        if not spec.get("transpositions", True):
            raise EsError(400, "the double only implements transpositions: true")
        return 1.0 if any(osa_distance(str(t), wanted) <= allowed for t in terms) else None

    def _match_tokens(self, name: str, text: str) -> list[str]:
        _, mapping, _ = field_mapping(self.mappings, name)
        return self.analysis.tokens(mapping.get("analyzer"), text)

    def _q_match(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, spec = self._field(body)
        query, operator = (spec["query"], spec.get("operator", "or")) if isinstance(spec, dict) else (spec, "or")
        wanted = self._match_tokens(name, query)
        have = {t for tokens in self._text_tokens(doc, name, scope) for t in tokens}
        hits = [t for t in wanted if t in have]
        if not wanted or (operator == "and" and len(hits) < len(wanted)) or not hits:
            return None
        return float(len(hits))

    def _q_match_phrase(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        name, spec = self._field(body)
        wanted = self._match_tokens(name, spec["query"] if isinstance(spec, dict) else spec)
        for tokens in self._text_tokens(doc, name, scope):
            if any(tokens[i:i + len(wanted)] == wanted for i in range(len(tokens) - len(wanted) + 1)):
                return 1.0
        return None

    def _q_multi_match(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        if body.get("type") != "cross_fields":
            raise EsError(400, "the double only implements multi_match cross_fields")
        fields = body["fields"]
        matched = 0.0
        wanted = self._match_tokens(fields[0], body["query"])
        for token in wanted:
            count = sum(tokens.count(token) for f in fields for tokens in self._text_tokens(doc, f, scope))
            if count == 0 and body.get("operator", "or") == "and":
                return None
            matched += count
        return matched or None

    def _q_more_like_this(self, body: dict[str, Any], doc: dict[str, Any], scope: str | None) -> float | None:
        """The like text's max_query_terms rarest terms found in this index (document frequency, not tf-idf);
        a document needs minimum_should_match of them (a percentage, rounded down); each found scores its idf."""
        fields, like = body["fields"], body["like"]
        if not isinstance(like, str) or body.get("min_term_freq", 2) != 1:
            raise EsError(400, "the double only implements more_like_this with a text and min_term_freq 1")
        longest = int(body.get("min_word_length", 0))
        wanted = {t for t in self._match_tokens(fields[0], like) if len(t) >= longest}

        def words(d: dict[str, Any]) -> set[str]:
            return {t for f in fields for tokens in self._text_tokens(d, f, scope) for t in tokens}

        frequency = dict.fromkeys(wanted, 0)
        for other in self.docs.values():
            for t in wanted & words(other):
                frequency[t] += 1
        known = sorted((t for t in wanted if frequency[t] >= int(body.get("min_doc_freq", 5))),
                       key=lambda t: (frequency[t], t))[:int(body.get("max_query_terms", 25))]
        needed = _minimum_should_match(str(body.get("minimum_should_match", "30%")), len(known))
        found = [t for t in known if t in words(doc)]
        if not known or len(found) < needed:
            return None
        return sum(1.0 / frequency[t] for t in found)


def _minimum_should_match(spec: str, clauses: int) -> int:
    """The Elasticsearch forms "30%", "3" and conditional "3<3 10<30%" (above 3 clauses: 3; above 10: 30%, rounded
    down); below every condition all clauses are needed. Negative forms are not implemented."""
    def value(v: str) -> int:
        if v.startswith("-"):
            raise EsError(400, "the double does not implement negative minimum_should_match")
        return clauses * int(v[:-1]) // 100 if v.endswith("%") else int(v)

    parts = spec.split()
    if all("<" not in p for p in parts):
        return value(spec)
    needed = clauses
    for part in parts:
        above, v = part.split("<")
        if clauses > int(above):
            needed = value(v)
    return needed


def _sorted(hits: list[tuple[float, dict[str, Any]]], specs: list[Any], ev: Evaluator) -> list[Any]:
    rows = [(score, doc, []) for score, doc in hits]  # type: ignore[var-annotated]
    for spec in specs:
        if spec == "_score":
            for score, _, values in rows:
                values.append(score)
        else:
            [name] = spec
            for _, doc, values in rows:
                terms, _ = ev._terms(doc, name, None)
                values.append(terms[0] if terms else None)
    for i in reversed(range(len(specs))):
        spec = specs[i]
        order = "desc" if spec == "_score" else next(iter(spec.values())).get("order", "asc")
        present = [r for r in rows if r[2][i] is not None]
        missing = [r for r in rows if r[2][i] is None]
        present.sort(key=lambda r, i=i: r[2][i], reverse=order == "desc")
        rows = present + missing  # missing: _last, the default
    return rows


# --- the HTTP side --------------------------------------------------------------------------------------------------


class EsDouble:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.templates: dict[str, dict[str, Any]] = {}
        self.indices: dict[str, Index] = {}
        self.aliases: dict[str, dict[str, dict[str, Any]]] = {}  # alias -> index -> options
        self._faults: list[tuple[int, int, Callable[[str, str], bool]]] = []
        self._rejected: dict[str, tuple[int, str, str, int]] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # --- set-up and faults -------------------------------------------------------------------------------------

    def start(self) -> str:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = double.handle(self.command, self.path, raw,
                                             {k.lower(): v for k, v in self.headers.items()})
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, status: int, times: int = 1, when: Callable[[str, str], bool] = lambda m, p: True) -> None:
        """Answer the next `times` requests for which when(method, path) holds with this error status."""
        self._faults.append((status, times, when))

    def reject_item(self, doc_id: str, status: int, kind: str, reason: str, times: int = 1) -> None:
        """Refuse this document in the next `times` bulk requests that carry it."""
        self._rejected[doc_id] = (status, kind, reason, times)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.templates.clear()
            self.indices.clear()
            self.aliases.clear()
            self._faults.clear()
            self._rejected.clear()

    def sent(self, method: str, path_pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)]

    # --- routing -----------------------------------------------------------------------------------------------

    def handle(self, method: str, url: str, raw: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        split = urlsplit(url)
        path = unquote(split.path)
        params = {k: v[-1] for k, v in parse_qs(split.query).items()}
        body: Any = None
        if raw:
            text = raw.decode()
            body = [json.loads(line) for line in text.splitlines() if line.strip()] if path.endswith("/_bulk") \
                else json.loads(text)
        with self._lock:
            self.requests.append(Recorded(method, path, params, body, headers))
            for i, (status, times, when) in enumerate(self._faults):
                if when(method, path):
                    self._faults[i] = (status, times - 1, when)
                    if times - 1 <= 0:
                        del self._faults[i]
                    return status, EsError(status, f"injected {status}").body()
            try:
                return self._route(method, [p for p in path.split("/") if p], params, body)
            except EsError as e:
                return e.status, e.body()

    def _route(self, method: str, parts: list[str], params: dict[str, str], body: Any) -> tuple[int, Any]:
        if not parts:
            return 200, {"name": "double", "cluster_name": "sohoa-test", "tagline": "You Know, for Search",
                         "version": {"number": "8.19.0", "build_flavor": "default"}}
        head = parts[0]
        if head == "_index_template" and method == "PUT":
            self.templates[parts[1]] = body
            return 200, {"acknowledged": True}
        if head == "_alias":
            found = {i: {"aliases": {parts[1]: {}}} for i in self.aliases.get(parts[1], {})}
            if not found:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, found
        if head == "_aliases" and method == "POST":
            return self._update_aliases(body["actions"])
        if head == "_bulk":
            return self._bulk(None, body, params)
        if len(parts) == 1:
            if method == "PUT":
                return self._create(head, body or {})
            if method == "DELETE":
                if head not in self.indices:
                    raise EsError(404, f"no such index [{head}]")
                del self.indices[head]
                for alias in self.aliases.values():
                    alias.pop(head, None)
                return 200, {"acknowledged": True}
        action = parts[1]
        if action == "_bulk":
            return self._bulk(head, body, params)
        if action == "_doc":
            return self._doc(method, head, parts[2], body)
        if action == "_search":
            return self._search(head, body or {})
        if action == "_count":
            return 200, {"count": sum(len(i.docs) for i in self._read(head)), "_shards": _SHARDS}
        if action == "_refresh":
            self._read(head)
            return 200, {"_shards": _SHARDS}
        if action == "_settings" and method == "PUT":
            self._read(head)
            return 200, {"acknowledged": True}
        raise EsError(400, f"{method} /{'/'.join(parts)} not supported by the double")

    # --- indices and aliases -----------------------------------------------------------------------------------

    def _create(self, name: str, body: dict[str, Any]) -> tuple[int, Any]:
        if name in self.indices:
            raise EsError(400, f"index [{name}] already exists", "resource_already_exists_exception")
        settings: dict[str, Any] = {}
        mappings: dict[str, Any] = {}
        for template in sorted(self.templates.values(), key=lambda t: t.get("priority", 0)):
            if any(fnmatch.fnmatch(name, p) for p in template["index_patterns"]):
                settings = {**settings, **template["template"].get("settings", {})}
                mappings = {**mappings, **template["template"].get("mappings", {})}
        settings = {**settings, **body.get("settings", {})}
        mappings = {**mappings, **body.get("mappings", {})}
        self.indices[name] = Index(name, settings, mappings)
        for alias, options in body.get("aliases", {}).items():
            self._add_alias(alias, name, options)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _add_alias(self, alias: str, index: str, options: dict[str, Any]) -> None:
        members = self.aliases.setdefault(alias, {})
        if options.get("is_write_index") and any(o.get("is_write_index") for i, o in members.items() if i != index):
            raise EsError(400, f"alias [{alias}] has more than one write index")
        members[index] = {k: v for k, v in options.items() if k == "is_write_index"}

    def _update_aliases(self, actions: list[dict[str, Any]]) -> tuple[int, Any]:
        saved = json.loads(json.dumps(self.aliases))
        try:  # all or nothing, like Elasticsearch
            for action in actions:
                [(kind, spec)] = action.items()
                if spec["index"] not in self.indices:
                    raise EsError(404, f"no such index [{spec['index']}]")
                if kind == "remove":
                    if spec["index"] not in self.aliases.get(spec["alias"], {}):
                        raise EsError(404, f"aliases [{spec['alias']}] missing", "aliases_not_found_exception")
                    del self.aliases[spec["alias"]][spec["index"]]
                else:
                    self._add_alias(spec["alias"], spec["index"], spec)
        except EsError:
            self.aliases = saved
            raise
        return 200, {"acknowledged": True}

    def _read(self, target: str) -> list[Index]:
        if self.aliases.get(target):
            return [self.indices[i] for i in self.aliases[target]]
        if target in self.indices:
            return [self.indices[target]]
        raise EsError(404, f"no such index [{target}]")

    def _write(self, target: str) -> Index:
        members = self.aliases.get(target)
        if members:
            writers = [i for i, o in members.items() if o.get("is_write_index")] or \
                (list(members) if len(members) == 1 else [])
            if len(writers) != 1:
                raise EsError(400, f"no write index is defined for alias [{target}]")
            return self.indices[writers[0]]
        if target not in self.indices:
            self._create(target, {})  # auto-create, as Elasticsearch does
        return self.indices[target]

    # --- documents ---------------------------------------------------------------------------------------------

    def _check(self, index: Index, doc: dict[str, Any]) -> None:
        """Reject what a strict mapping would: unknown fields and dates not in yyyy-MM-dd."""
        def walk(obj: dict[str, Any], props: dict[str, Any], prefix: str) -> None:
            for key, value in obj.items():
                if key not in props:
                    raise EsError(400, f"mapping set to strict, dynamic introduction of [{key}] within "
                                       f"[{prefix or '_doc'}] is not allowed", "strict_dynamic_mapping_exception")
                mapping = props[key]
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if v is None:
                        continue
                    if "properties" in mapping:
                        walk(v, mapping["properties"], f"{prefix}{key}.")
                    elif mapping.get("type") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)):
                        raise EsError(400, f"failed to parse field [{prefix}{key}] of type [date]",
                                      "document_parsing_exception")
                    elif mapping.get("type") == "boolean" and not isinstance(v, bool):
                        raise EsError(400, f"failed to parse field [{prefix}{key}] of type [boolean]",
                                      "document_parsing_exception")
        if index.mappings.get("dynamic") == "strict":
            walk(doc, index.mappings.get("properties", {}), "")

    def _doc(self, method: str, target: str, doc_id: str, body: Any) -> tuple[int, Any]:
        if method in ("PUT", "POST"):
            index = self._write(target)
            self._check(index, body)
            created = doc_id not in index.docs
            index.docs[doc_id] = body
            return (201 if created else 200), {"_index": index.name, "_id": doc_id,
                                               "result": "created" if created else "updated", "_shards": _SHARDS}
        if method == "DELETE":
            index = self._write(target)
            found = index.docs.pop(doc_id, None) is not None
            return (200 if found else 404), {"_index": index.name, "_id": doc_id,
                                             "result": "deleted" if found else "not_found"}
        for index in self._read(target):
            if doc_id in index.docs:
                return 200, {"_index": index.name, "_id": doc_id, "found": True,
                             "_source": self._shown(index, index.docs[doc_id])}
        return 404, {"_index": target, "_id": doc_id, "found": False}

    def _bulk(self, default: str | None, lines: list[Any], params: dict[str, str]) -> tuple[int, Any]:
        items = []
        i = 0
        while i < len(lines):
            [(op, meta)] = lines[i].items()
            doc = lines[i + 1] if op in ("index", "create", "update") else None
            i += 2 if doc is not None else 1
            target = meta.get("_index", default)
            doc_id = meta["_id"]
            rejected = self._rejected.get(doc_id)
            if rejected:
                status, kind, reason, times = rejected
                if times <= 1:
                    del self._rejected[doc_id]
                else:
                    self._rejected[doc_id] = (status, kind, reason, times - 1)
                items.append({op: {"_index": target, "_id": doc_id, "status": status,
                                   "error": {"type": kind, "reason": reason}}})
                continue
            try:
                status, answer = self._doc("PUT" if doc is not None else "DELETE", target, doc_id, doc)
                items.append({op: {**answer, "status": status}})
            except EsError as e:
                items.append({op: {"_index": target, "_id": doc_id, "status": e.status,
                                   "error": {"type": e.kind, "reason": e.reason}}})
        errors = any("error" in next(iter(item.values())) for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    @staticmethod
    def _shown(index: Index, doc: dict[str, Any]) -> dict[str, Any]:
        excluded = index.mappings.get("_source", {}).get("excludes", [])
        return {k: v for k, v in doc.items() if k not in excluded}

    def _search(self, target: str, body: dict[str, Any]) -> tuple[int, Any]:
        indices = self._read(target)
        matched: list[tuple[float, dict[str, Any]]] = []
        owner: dict[int, Index] = {}
        ev = Evaluator(indices[0])
        for index in indices:
            ev = Evaluator(index)
            for doc_id, doc in index.docs.items():
                score = ev.score(body.get("query", {"match_all": {}}), doc)
                if score is not None:
                    matched.append((score, {**doc, "__id": doc_id}))
                    owner[id(matched[-1][1])] = index
        specs = body.get("sort", ["_score"])
        rows = _sorted(matched, specs, ev)
        size = body.get("size", 10)
        hits = [{"_index": owner[id(doc)].name, "_id": doc["__id"], "_score": score,
                 "_source": self._shown(owner[id(doc)], {k: v for k, v in doc.items() if k != "__id"}),
                 "sort": values} for score, doc, values in rows[:size]]
        answer: dict[str, Any] = {
            "took": 1, "timed_out": False, "_shards": _SHARDS,
            "hits": {"total": {"value": len(rows), "relation": "eq"},
                     "max_score": max((s for s, _ in matched), default=None), "hits": hits},
        }
        if "aggs" in body or "aggregations" in body:
            answer["aggregations"] = self._aggregations(body.get("aggs") or body["aggregations"], rows, ev)
        return 200, answer

    def _aggregations(self, aggs: dict[str, Any], rows: list[Any], ev: Evaluator) -> dict[str, Any]:
        out = {}
        for name, spec in aggs.items():
            [(kind, opts)] = spec.items()
            if kind != "terms":
                raise EsError(400, f"aggregation [{kind}] not supported by the double")
            counts: dict[Any, int] = {}
            for _, doc, _ in rows:
                terms, _ = ev._terms(doc, opts["field"], None)
                for term in terms or ([opts["missing"]] if "missing" in opts else []):
                    counts[term] = counts.get(term, 0) + 1
            buckets = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: opts.get("size", 10)]
            out[name] = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                         "buckets": [{"key": k, "doc_count": n} for k, n in buckets]}
        return out


_SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
