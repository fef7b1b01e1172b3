#!/usr/bin/env python3
"""fake_provider.py: a stand-in for OpenAI, Anthropic and Gemini streaming APIs, for the tests.

Binds 127.0.0.1 on a free port and prints "PORT BLACKHOLE_PORT" on its first line of stdout
(BLACKHOLE_PORT accepts no connection: its backlog is full, so connecting to it times out).
Speaks, by request path:
  POST /v1/chat/completions                               OpenAI chat completions (base .../v1)
  POST /v1/messages                                       Anthropic messages
  POST /v1beta/models/MODEL:streamGenerateContent?alt=sse Gemini
each in its documented SSE shape, with chunked transfer encoding as the real services use.

The model name selects behaviour: dot-separated modes after any name, e.g. "fake.hostile.cut":
  hostile      1-byte writes, pauses inside UTF-8 characters and inside "data:"
  slow         0.3 s between deltas (for cancel tests)
  trickle      20 ms between deltas (for concurrent runs)
  cut          close the connection after half of the answer (no end of chunked body)
  cleancut     end the body properly after half of the answer, without the end event
  idle         send half of the answer, then nothing (until the client gives up)
  badjson      half of the answer, then an event whose JSON is broken
  streamerror  half of the answer, then the provider's error event
  ratelimit    the first request with this model gets 429 with Retry-After: 1
  ratelimitalways  always 429 (Retry-After: 0)
  overloaded   the first request gets 529 (Anthropic) / 503 (others), no Retry-After
  servererror  500 with the provider's error body
  forbidden    403
  missing      404 model not found
  nofinalblank the last event lacks its blank line
  error200     200 with a JSON error body instead of a stream (some compatible servers)
  length       the answer ends at the token limit (length / max_tokens / MAX_TOKENS)
  filter       the answer ends blocked (content_filter / refusal / SAFETY)
  blocked      Gemini: the prompt is blocked (promptFeedback.blockReason, no candidate);
               the others as filter
  tools        the answer is a call of get_weather {"city": "Paris"} (Anthropic: after a text block)
  parallel     the answer is two calls at once: get_weather and get_time {"zone": "Europe/Paris"}
  echo         the answer is "You said: TEXT (turn N)": the last user text, the number of user turns
  waitMS       answer after MS milliseconds (e.g. "fake.echo.wait100"; for the eval benchmark)
  big          the answer is 16 MiB of "x" in 64 KiB deltas, sent as fast as they go (for the cap)
  drip         the answer one character a second (for the run's total deadline)
  flood        64 KiB deltas as fast as they go, without end, until the client hangs up (for the
               cap's memory: at most 8 GiB)
  hugeevent    a delta "Before the flood. ", then one event whose delta is 64 MiB of "x" (over the
               client's bound on one event)
  leak         the answer is "Your key is KEY; again: KEY." with the key it was given, each split
               across deltas (for the client's scrubbing); with tools, the call's city is "Paris KEY"
An OpenAI request without "stream": true is answered with one chat.completion JSON, as the API
does (promptfoo asks so).
Whatever the mode, a request whose last turn carries tool results is answered "Got R1; R2." (the
results' texts), so a conversation can go: question, calls, results, answer.
The calls stream as each provider documents: OpenAI tool_calls deltas with the arguments in
pieces (ids call_w1, call_t2), Anthropic tool_use blocks with input_json_delta (toolu_01A,
toolu_01B), Gemini functionCall parts in one chunk without ids, the first with a thoughtSignature.
Requests are checked as the real APIs check them, and refused with their 400 error when wrong:
unknown fields, roles, Anthropic turns that do not alternate or start with the assistant, tool
results without their call (or calls without a result), temperature with top_p on Anthropic,
Gemini's schema fields (responseSchema and responseJsonSchema are exclusive; parameters and
parametersJsonSchema too), a thoughtSignature not given back.
A wrong or missing key gives the provider's 401 (Gemini: 400 "API key not valid") and echoes the
key it got in the message, as OpenAI does, so the client's scrubbing is exercised.
Every request is appended to --log as one JSON line: method, path, headers, body.
Python standard library only.
"""
import argparse
import json
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_ANSWER = ("Hello, \"world\"!\nGr\u00fc\u00df Gott \u2014 caf\u00e9 \u20ac5 \U0001F600 \u4e2d\u6587.\n"
                  "Back\\slash, tab\tand a line\n\n- item one\n- item two\n\nThe end.")

ARGS = None
COUNTS = {}
LOCK = threading.Lock()


def pieces(text, size=5):
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def j(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


GEMINI_SIGNATURE = "c2lnbmF0dXJlLW9mLXRoZS1maXJzdC1jYWxs"
CALLS = {"openai": ("call_w1", "call_t2"), "anthropic": ("toolu_01A", "toolu_01B"), "google": (None, None)}
WEATHER = ("get_weather", {"city": "Paris"})
TIME = ("get_time", {"zone": "Europe/Paris"})


def turns(kind, body):
    """[(role, [items])]: the request's turns, items being ("text", t), ("call", id, name, args),
    ("result", id_or_name, text) in each API's own terms."""
    out = []
    if kind == "google":
        for c in body.get("contents", []):
            items = []
            for p in c.get("parts", []):
                if "text" in p:
                    items.append(("text", p["text"]))
                elif "functionCall" in p:
                    fc = p["functionCall"]
                    items.append(("call", fc.get("id"), fc.get("name"), fc.get("args"), p.get("thoughtSignature")))
                elif "functionResponse" in p:
                    fr, r = p["functionResponse"], p["functionResponse"].get("response")
                    text = r["result"] if isinstance(r, dict) and list(r) == ["result"] and isinstance(r["result"], str) \
                        else json.dumps(r, sort_keys=True)
                    items.append(("result", fr.get("name"), text))
            out.append((c.get("role"), items))
        return out
    for m in body.get("messages", []):
        role, content = m.get("role"), m.get("content")
        items = []
        if isinstance(content, str):
            items.append(("text", content))
        elif isinstance(content, list):
            for b in content:
                t = b.get("type")
                if t == "text":
                    items.append(("text", b.get("text")))
                elif t == "tool_use":
                    items.append(("call", b.get("id"), b.get("name"), b.get("input"), None))
                elif t == "tool_result":
                    c = b.get("content")
                    items.append(("result", b.get("tool_use_id"), c if isinstance(c, str) else json.dumps(c)))
        for c in m.get("tool_calls") or []:
            items.append(("call", c.get("id"), c.get("function", {}).get("name"), c.get("function", {}).get("arguments"), None))
        if role == "tool":
            items = [("result", m.get("tool_call_id"), content)]
        out.append((role, items))
    return out


def answer_plan(kind, body, modes):
    """(text, [(id, name, args)]): what the stand-in answers this request with."""
    ts = turns(kind, body)
    last = ts[-1][1] if ts else []
    if kind == "openai":   # the results are the tool messages at the end
        last = []
        for role, items in reversed(ts):
            if role != "tool":
                break
            last = items + last
    results = [it[2] for it in last if it[0] == "result"]
    if results:
        return "Got " + "; ".join(results) + ".", []
    ids = CALLS[kind]
    if "parallel" in modes:
        return "", [(ids[0],) + WEATHER, (ids[1],) + TIME]
    if "tools" in modes:
        call = ("get_weather", {"city": "Paris " + ARGS.key}) if "leak" in modes else WEATHER
        return ("Let me check." if kind == "anthropic" else ""), [(ids[0],) + call]
    if "leak" in modes:
        return "Your key is %s; again: %s." % (ARGS.key, ARGS.key), []
    if "echo" in modes:
        users = [items for role, items in ts if role == "user" and any(it[0] == "text" for it in items)]
        said = " ".join(it[1] for it in users[-1] if it[0] == "text") if users else ""
        return "You said: %s (turn %d)" % (said, len(users)), []
    return ARGS.answer, []


OPENAI_FIELDS = {"model", "messages", "stream", "stream_options", "temperature", "top_p", "max_completion_tokens",
                 "max_tokens", "stop", "tools", "tool_choice", "parallel_tool_calls", "response_format", "seed",
                 "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "user",
                 "reasoning_effort", "service_tier", "store", "metadata", "modalities", "audio", "prediction",
                 "web_search_options", "verbosity", "prompt_cache_key", "safety_identifier",
                 "top_k"}   # top_k: OpenAI-compatible servers (vLLM, ollama) take it
ANTHROPIC_FIELDS = {"model", "messages", "max_tokens", "system", "stop_sequences", "stream", "temperature", "top_p",
                    "top_k", "tools", "tool_choice", "metadata", "output_config", "thinking", "service_tier",
                    "container", "mcp_servers", "context_management", "inference_geo"}
GOOGLE_FIELDS = {"contents", "tools", "toolConfig", "safetySettings", "systemInstruction", "generationConfig",
                 "cachedContent"}
GOOGLE_CONFIG = {"stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities",
                 "candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty",
                 "frequencyPenalty", "responseLogprobs", "logprobs", "enableEnhancedCivicAnswers", "speechConfig",
                 "thinkingConfig", "imageConfig", "mediaResolution"}


def check_request(kind, body):
    """None, or the message of the 400 the real API would answer (the rules the tests rely on)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    known = {"openai": OPENAI_FIELDS, "anthropic": ANTHROPIC_FIELDS, "google": GOOGLE_FIELDS}[kind]
    extra = sorted(set(body) - known)
    if extra:
        return "Unrecognized request argument supplied: " + ", ".join(extra)
    ts = turns(kind, body)
    if kind == "openai":
        for m in body.get("messages", []):
            if m.get("role") not in ("system", "developer", "user", "assistant", "tool"):
                return "Invalid value for 'role': %r" % m.get("role")
            for c in m.get("tool_calls") or []:
                if not isinstance(c.get("function", {}).get("arguments"), str):
                    return "tool_calls[].function.arguments must be a string"
        pending = []
        for role, items in ts:
            if role == "tool":
                if items[0][1] not in pending:
                    return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."
                pending.remove(items[0][1])
                continue
            if pending:
                return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: " + ", ".join(pending)
            pending = [it[1] for it in items if it[0] == "call"]
        rf = body.get("response_format")
        if rf is not None and (rf.get("type") != "json_schema" or "name" not in rf.get("json_schema", {})):
            return "Invalid response_format"
    elif kind == "anthropic":
        if not isinstance(body.get("max_tokens"), int):
            return "max_tokens: Field required"
        if "temperature" in body and "top_p" in body:
            return "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
        prev = None
        for i, (role, items) in enumerate(ts):
            if role not in ("user", "assistant"):
                return "messages.%d.role: Input should be 'user' or 'assistant'" % i
            if role == prev:
                return "messages: roles must alternate between \"user\" and \"assistant\""
            if i == 0 and role != "user":
                return "messages: first message must use the \"user\" role"
            if any(it[0] == "text" and it[1] == "" for it in items) and len(items) > 1:
                return "messages.%d: text content blocks must be non-empty" % i
            prev = role
            calls = [it[1] for it in items if it[0] == "call"]
            if calls:
                nxt = ts[i + 1][1] if i + 1 < len(ts) else []
                got = [it[1] for it in nxt if it[0] == "result"]
                if i + 1 < len(ts) and sorted(got) != sorted(calls):
                    return "messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s" % (i, ", ".join(c for c in calls if c not in got))
                kinds = [it[0] for it in nxt]
                if "result" in kinds and kinds[:kinds.count("result")] != ["result"] * kinds.count("result"):
                    return "messages.%d: tool_result blocks must come first in the user content" % (i + 1)
        oc = body.get("output_config")
        if oc is not None and (oc.get("format", {}).get("type") != "json_schema" or not isinstance(oc["format"].get("schema"), dict)):
            return "output_config.format: expected {type: json_schema, schema}"
    else:
        gc = body.get("generationConfig", {})
        extra = sorted(set(gc) - GOOGLE_CONFIG)
        if extra:
            return "Invalid JSON payload received. Unknown name %s at 'generation_config'" % ", ".join(repr(e) for e in extra)
        if "responseSchema" in gc and "responseJsonSchema" in gc:
            return "responseSchema and responseJsonSchema cannot both be set"
        if "responseJsonSchema" in gc and gc.get("responseMimeType") != "application/json":
            return "responseJsonSchema requires responseMimeType application/json"
        for t in body.get("tools", []):
            for d in t.get("functionDeclarations", []):
                if "parameters" in d and "parametersJsonSchema" in d:
                    return "parameters and parametersJsonSchema cannot both be set"
        for i, (role, items) in enumerate(ts):
            if role not in ("user", "model"):
                return "Please use a valid role: user, model."
            calls = [it for it in items if it[0] == "call"]
            if calls:
                if calls[0][4] != GEMINI_SIGNATURE:
                    return "Function call is missing a thought_signature in functionCall parts."
                nxt = ts[i + 1][1] if i + 1 < len(ts) else []
                got = [it[1] for it in nxt if it[0] == "result"]
                if i + 1 < len(ts) and got != [c[2] for c in calls]:
                    return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn."
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 0

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass

    # ---- writing ----
    def send_bytes(self, data):
        """One HTTP chunk per write; hostile mode writes byte by byte with pauses."""
        if not data:
            return
        if "hostile" in self.modes:
            for i in range(len(data)):
                b = data[i:i + 1]
                self.wfile.write(b"1\r\n" + b + b"\r\n")
                lead = data[i] >= 0xC0
                in_data = data[max(0, i - 2):i + 1] in (b"dat", b"da")
                if lead or in_data or i % 97 == 0:
                    self.wfile.flush()
                    time.sleep(0.002)
        else:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        self.wfile.flush()

    def end_body(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def send_error_json(self, status, body, extra=None):
        data = j(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    # ---- requests ----
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        raw = self.rfile.read(n)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = urllib.parse.urlsplit(self.path).path
        if ARGS.log:
            with LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
                f.write(j({"method": "POST", "path": self.path,
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": body}) + "\n")
        if path.endswith("/chat/completions"):
            self.kind = "openai"
            model = body.get("model", "") if isinstance(body, dict) else ""
            key = (self.headers.get("Authorization") or "")
            key = key[7:] if key.startswith("Bearer ") else None
        elif path.endswith("/v1/messages"):
            self.kind = "anthropic"
            model = body.get("model", "") if isinstance(body, dict) else ""
            key = self.headers.get("x-api-key")
        elif ":streamGenerateContent" in path:
            self.kind = "google"
            model = urllib.parse.unquote(path.rsplit("/", 1)[-1].split(":")[0])
            key = self.headers.get("x-goog-api-key")
        else:
            self.send_error_json(404, {"error": {"message": "no such path " + path}})
            return
        self.model = model
        self.modes = set(model.split(".")[1:])
        with LOCK:
            COUNTS[(self.kind, model)] = COUNTS.get((self.kind, model), 0) + 1
            count = COUNTS[(self.kind, model)]
        if key != ARGS.key:
            return self.auth_error(key)
        if "forbidden" in self.modes:
            return self.error(403, "permission_error", "PERMISSION_DENIED", "this key may not use " + model)
        if "missing" in self.modes:
            return self.error(404, "not_found_error", "NOT_FOUND", "model: " + model + " does not exist")
        if "ratelimit" in self.modes and count == 1:
            return self.error(429, "rate_limit_error", "RESOURCE_EXHAUSTED", "Rate limit reached", {"Retry-After": "1"})
        if "ratelimitalways" in self.modes:
            return self.error(429, "rate_limit_error", "RESOURCE_EXHAUSTED", "Rate limit reached", {"Retry-After": "0"})
        if "overloaded" in self.modes and count == 1:
            return self.error(529 if self.kind == "anthropic" else 503, "overloaded_error", "UNAVAILABLE", "Overloaded")
        if "error200" in self.modes:
            return self.error(200, "invalid_request_error", "INVALID_ARGUMENT", "stream_options is not supported")
        if "servererror" in self.modes:
            return self.error(500, "api_error", "INTERNAL", "An internal error has occurred.")
        problem = check_request(self.kind, body)
        if problem:
            return self.error(400, "invalid_request_error", "INVALID_ARGUMENT", problem)
        self.text, self.calls = answer_plan(self.kind, body, self.modes)
        wait = [m for m in self.modes if m.startswith("wait") and m[4:].isdigit()]
        if wait:
            time.sleep(int(wait[0][4:]) / 1000.0)
        if self.kind == "openai" and isinstance(body, dict) and body.get("stream") is not True:
            message = {"role": "assistant", "content": self.text or None}
            if self.calls:
                message["tool_calls"] = [{"id": cid, "type": "function", "function": {"name": name, "arguments": j(args)}}
                                         for cid, name, args in self.calls]
            n = len(pieces(self.text))
            return self.send_error_json(200, {
                "id": "chatcmpl-123", "object": "chat.completion", "created": 1694268190, "model": model,
                "choices": [{"index": 0, "message": message, "logprobs": None,
                             "finish_reason": "tool_calls" if self.calls else self.finish_word("stop")}],
                "usage": {"prompt_tokens": 11, "completion_tokens": n, "total_tokens": 11 + n}})
        try:
            self.stream()
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client went away (cancel, timeout): expected

    def auth_error(self, key):
        if self.kind == "openai":
            self.send_error_json(401, {"error": {"message": "Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys." % key,
                                                 "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})
        elif self.kind == "anthropic":
            self.send_error_json(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})
        else:
            self.send_error_json(400, [{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                                  "status": "INVALID_ARGUMENT"}}])

    def error(self, status, atype, gstatus, message, extra=None):
        if self.kind == "openai":
            body = {"error": {"message": message, "type": atype, "param": None, "code": None}}
        elif self.kind == "anthropic":
            body = {"type": "error", "error": {"type": atype, "message": message}}
        else:
            body = {"error": {"code": status, "message": message, "status": gstatus}}
        self.send_error_json(status, body, extra)

    # ---- the streams ----
    def finish_word(self, normal):
        """The provider's word for how this answer ends."""
        words = {"openai": ("stop", "length", "content_filter"), "anthropic": ("end_turn", "max_tokens", "refusal"),
                 "google": ("STOP", "MAX_TOKENS", "SAFETY")}[self.kind]
        if "length" in self.modes:
            return words[1]
        if self.modes & {"filter", "blocked"}:
            return words[2]
        return normal

    def events(self, parts, half):
        """(bytes of each event) for this provider; half=True stops after half of the parts."""
        k = self.kind
        out = []
        upto = len(parts) // 2 if half else len(parts)
        calls = [] if half else self.calls
        if k == "google" and "blocked" in self.modes:
            return [("data: " + j({"promptFeedback": {"blockReason": "SAFETY"},
                                   "usageMetadata": {"promptTokenCount": 11, "totalTokenCount": 11},
                                   "modelVersion": "gemini-2.0-flash"}) + "\r\n\r\n").encode()]
        if k == "openai":
            base = {"id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1694268190,
                    "model": self.model, "system_fingerprint": "fp_44709d6fcb"}

            def chunk(delta, finish, usage=None, choices=True):
                c = dict(base)
                c["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else []
                c["usage"] = usage
                return ("data: " + j(c) + "\n\n").encode()
            if not calls:
                out.append(chunk({"role": "assistant", "content": "", "refusal": None}, None))
                out += [chunk({"content": p}, None) for p in parts[:upto]]
            for i, (cid, name, args) in enumerate(calls):
                # the first call's id and name come with the role, as OpenAI streams them
                head = {"role": "assistant", "content": None} if i == 0 else {}
                head["tool_calls"] = [{"index": i, "id": cid, "type": "function", "function": {"name": name, "arguments": ""}}]
                if i == 0:
                    head["refusal"] = None
                out.append(chunk(head, None))
                out += [chunk({"tool_calls": [{"index": i, "function": {"arguments": a}}]}, None) for a in pieces(j(args), 7)]
            if not half:
                out.append(chunk({}, "tool_calls" if calls else self.finish_word("stop")))
                out.append(chunk(None, None, {"prompt_tokens": 11, "completion_tokens": len(parts), "total_tokens": 11 + len(parts)}, choices=False))
                out.append(b"data: [DONE]\n\n")
        elif k == "anthropic":
            def ev(name, obj):
                return ("event: %s\ndata: %s\n\n" % (name, json.dumps(obj, ensure_ascii=False))).encode()
            out.append(ev("message_start", {"type": "message_start", "message": {
                "id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [],
                "model": self.model, "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": 11, "output_tokens": 1}}}))
            out.append(ev("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}))
            out.append(ev("ping", {"type": "ping"}))
            out += [ev("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})
                    for p in parts[:upto]]
            if not half:
                out.append(ev("content_block_stop", {"type": "content_block_stop", "index": 0}))
                for i, (cid, name, args) in enumerate(calls, 1):
                    out.append(ev("content_block_start", {"type": "content_block_start", "index": i, "content_block":
                                                          {"type": "tool_use", "id": cid, "name": name, "input": {}}}))
                    out.append(ev("content_block_delta", {"type": "content_block_delta", "index": i,
                                                          "delta": {"type": "input_json_delta", "partial_json": ""}}))
                    out += [ev("content_block_delta", {"type": "content_block_delta", "index": i,
                                                       "delta": {"type": "input_json_delta", "partial_json": a}})
                            for a in pieces(j(args), 7)]
                    out.append(ev("content_block_stop", {"type": "content_block_stop", "index": i}))
                out.append(ev("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use" if calls else self.finish_word("end_turn"), "stop_sequence": None},
                                                "usage": {"output_tokens": len(parts)}}))
                out.append(ev("message_stop", {"type": "message_stop"}))
        else:
            def g(gparts, finish=None, last=False):
                cand = {"content": {"parts": gparts, "role": "model"}, "index": 0}
                if finish:
                    cand["finishReason"] = finish
                obj = {"candidates": [cand],
                       "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": len(parts) if last else 1,
                                         "totalTokenCount": 11 + (len(parts) if last else 1)},
                       "modelVersion": "gemini-2.0-flash"}
                return ("data: " + j(obj) + "\r\n\r\n").encode()
            body = parts[:upto]
            if calls:
                fparts = [{"functionCall": {"name": name, "args": args}} for (cid, name, args) in calls]
                fparts[0]["thoughtSignature"] = GEMINI_SIGNATURE
                out += [g([{"text": p}]) for p in body]
                out.append(g(fparts, "STOP", last=True))
            elif half:
                out += [g([{"text": p}]) for p in body]
            else:
                out += [g([{"text": p}]) for p in body[:-1]]
                out.append(g([{"text": body[-1]}], self.finish_word("STOP"), last=True))
        return out

    def stream_unbounded(self):
        """flood and hugeevent: the provider's first events, then its delta event repeated (flood)
        or a small delta and one delta event of 64 MiB (hugeevent), written 1 MiB at a time."""
        size = 64 << 20 if "hugeevent" in self.modes else 65536
        evs = self.events(["x" * size] * 2, True)
        self.start_stream()
        try:
            for e in evs[:-1]:
                self.send_bytes(e)
            if "hugeevent" in self.modes:
                self.send_bytes(self.events(["Before the flood. "] * 2, True)[-1])
                for i in range(0, len(evs[-1]), 1 << 20):
                    self.send_bytes(evs[-1][i:i + (1 << 20)])
            else:
                for _ in range((8 << 30) // size):
                    self.send_bytes(evs[-1])
            self.end_body()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def stream(self):
        if self.modes & {"flood", "hugeevent"}:
            return self.stream_unbounded()
        if "big" in self.modes:
            parts = ["x" * 65536] * 256
        else:
            parts = pieces(self.text, 1 if "drip" in self.modes else 5)
        self.start_stream()
        fault = {"cut", "cleancut", "idle", "badjson", "streamerror"} & self.modes
        evs = self.events(parts, bool(fault))
        if "nofinalblank" in self.modes and evs:
            evs[-1] = evs[-1].rstrip(b"\r\n")
        for e in evs:
            self.send_bytes(e)
            if "slow" in self.modes:
                time.sleep(0.3)
            elif "trickle" in self.modes:
                time.sleep(0.02)
            elif "drip" in self.modes:
                time.sleep(1)
        if "badjson" in self.modes:
            self.send_bytes(b'data: {"choices": [{"delta": {"content": "oops"\n\n' if self.kind != "anthropic" else
                            b'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": {\n\n')
        elif "streamerror" in self.modes:
            if self.kind == "anthropic":
                self.send_bytes(b'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n')
            elif self.kind == "openai":
                self.send_bytes(b'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}\n\n')
            else:
                self.send_bytes(b'data: {"error": {"code": 500, "message": "An internal error has occurred.", "status": "INTERNAL"}}\r\n\r\n')
        elif "idle" in self.modes:
            time.sleep(30)
            return
        if "cut" in self.modes:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.end_body()


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--key", default="test-key")
    p.add_argument("--log")
    p.add_argument("--answer-file")
    ARGS = p.parse_args()
    ARGS.answer = DEFAULT_ANSWER
    if ARGS.answer_file:
        with open(ARGS.answer_file, encoding="utf-8") as f:
            ARGS.answer = f.read()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    # A port that never accepts: backlog 0, filled by connections nobody accepts.
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(0)
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(hole.getsockname())
        except (BlockingIOError, OSError):
            pass
        fillers.append(s)
    # one write: with PYTHONUNBUFFERED print() would send each piece apart, and a reader that
    # takes the first number and closes the pipe would kill the server with SIGPIPE
    sys.stdout.write("%d %d\n" % (srv.server_address[1], hole.getsockname()[1]))
    sys.stdout.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
