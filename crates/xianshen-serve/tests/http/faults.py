"""Bad requests against a running `xianshen serve`, for tests/http.sh.

    python3 faults.py HOST PORT TOKEN ROUNDS TIMEOUT_MS

Sends malformed JSON, invalid UTF-8, deep nesting, huge numbers, wrong
types, unknown fields, bad content types, oversized bodies and batches,
and (on raw sockets) garbage request lines and bodies cut off mid-way, to
/v1/screen and /v1/screen/batch. Every answer must be a 4xx with a JSON
error body naming a code (the status each case allows is listed with it);
no 5xx, and a good draft screens afterwards. The cases are sent ROUNDS
times over four keep-alive connections in parallel. Then slow clients:
eight connections trickle a body a byte at a time; each must be answered
408 once the server's request timeout (TIMEOUT_MS, limits.request_timeout_ms)
has passed, while drafts sent meanwhile on other connections are screened
at once (a slow client holds no worker).

Prints `faults: N bad requests … statuses {…}`, then the error codes, and
exits 1 on the first bad answer, naming the case.
"""

import http.client
import json
import select
import socket
import sys
import threading
import time
from collections import Counter

HOST, PORT, TOKEN, ROUNDS = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
TIMEOUT = int(sys.argv[5]) / 1000  # limits.request_timeout_ms in the test's serve.toml
BODY_LIMIT = 1 << 20  # limits.body_bytes in the test's serve.toml
BATCH_LIMIT = 100  # limits.batch_drafts (the default)

BAD_JSON = {400}
BAD_SHAPE = {400, 422}
BAD_UTF8 = {422}


def cases():
    """(name, path, content type, body bytes, allowed statuses)."""
    out = []

    def add(name, body, allowed, path="/v1/screen", ctype="application/json"):
        if isinstance(body, str):
            body = body.encode("utf-8")
        out.append((name, path, ctype, body, allowed))

    good = json.dumps({"text": "根据规定，现将年度工作情况公告如下。本店出售冰毒。"}, ensure_ascii=False)
    # Malformed JSON: every proper prefix of a good body, and classics.
    for i in range(0, len(good) - 1, 3):
        add(f"prefix {i}", good[:i], BAD_JSON)
    for i, text in enumerate([
        "{", "}", "[", "]", "{{}}", '{"text"}', '{"text":}', '{"text": "x",}',
        "{'text': 'x'}", '{"text": "x"} trailing', '{"text": "x"}{"text": "y"}',
        '{"text": NaN}', '{"text": Infinity}', '{"text": "x" /* c */}', "nul",
        '{"text": "\\x41"}', '{"text": "\\u12"}', '{"text": "\\ud800"}',
        '{"text": "a\x01b"}', '{"text": "unterminated', '\ufeff{"text": "bom"}',
        '{"text": tru}', '{"text" "x"}', '{text: "x"}', "\x00", " ", "",
    ]):
        add(f"malformed {i}", text, BAD_JSON)
    # Invalid UTF-8, in values, keys and between tokens.
    for i, raw in enumerate([
        b"\xff", b"\xfe\xff", b"\xc3", b"\xc0\xaf", b"\xe0\x80\xaf",
        b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80",
        b"\xe4\xb8", b"\x80", "出售冰毒".encode()[:-1],
    ]):
        add(f"utf8 value {i}", b'{"text": "\xe5\x85\xac\xe5\x91\x8a' + raw + b'"}', BAD_UTF8)
        add(f"utf8 key {i}", b'{"te' + raw + b'xt": "x"}', BAD_UTF8)
        add(f"utf8 bare {i}", raw + b'{"text": "x"}', BAD_UTF8)
        add(f"utf8 batch {i}", b'{"drafts": [{"text": "' + raw + b'"}]}', BAD_UTF8,
            path="/v1/screen/batch")
    # Deep nesting: serde_json stops at depth 128.
    for depth in (129, 1000, 100_000):
        add(f"nested arrays {depth}", "[" * depth + "]" * depth, BAD_SHAPE)
        add(f"nested text {depth}", '{"text": ' + "[" * depth, BAD_SHAPE)
        add(f"nested objects {depth}", '{"a":' * depth + "1" + "}" * depth, BAD_SHAPE)
        add(f"nested batch {depth}", '{"drafts": [' + '{"text": ' * depth, BAD_SHAPE,
            path="/v1/screen/batch")
    # Huge numbers, in every field.
    for i, number in enumerate([
        "1e999999", "-1e999999", "1" * 5000, "-" + "9" * 400, "0." + "0" * 5000 + "1",
        "1e-999999", "18446744073709551616", "-9223372036854775809", "1.7976931348623157e309",
    ]):
        add(f"huge number text {i}", '{"text": ' + number + "}", BAD_SHAPE)
        add(f"huge number repost {i}", '{"text": "x", "repost": ' + number + "}", BAD_SHAPE)
        add(f"huge number drafts {i}", '{"drafts": ' + number + "}", BAD_SHAPE,
            path="/v1/screen/batch")
        add(f"huge number top {i}", number, BAD_SHAPE)
    # Wrong types, missing and unknown fields.
    values = ['1', '1.5', 'true', 'null', '[]', '{}', '["x"]', '{"text": "x"}']
    for i, v in enumerate(values):
        add(f"text type {i}", '{"text": ' + v + "}", BAD_SHAPE)
        add(f"top type {i}", v if v != '{"text": "x"}' else "[" + v + "]", BAD_SHAPE)
        add(f"drafts type {i}", '{"drafts": ' + v + "}" if v != '[]' else '{"drafts": [1]}',
            BAD_SHAPE, path="/v1/screen/batch")
        add(f"draft item type {i}", '{"drafts": [' + v + "]}" if v != '{"text": "x"}'
            else '{"drafts": [{"text": 1}]}', BAD_SHAPE, path="/v1/screen/batch")
    for field, value in [("title", "1"), ("title", "[]"), ("repost", '"yes"'), ("repost", "1"),
                         ("source", "{}"), ("kind", "1"), ("kind", '"tweet"'),
                         ("input_format", '"pdf"'), ("input_format", "false"), ("extra", '"x"'),
                         ("TEXT", '"x"')]:
        add(f"field {field}={value}", '{"text": "x", "' + field + '": ' + value + "}", BAD_SHAPE)
    add("missing text", '{"title": "x"}', BAD_SHAPE)
    add("missing drafts", "{}", BAD_SHAPE, path="/v1/screen/batch")
    add("duplicate text", '{"text": "x", "text": "y"}', BAD_SHAPE)
    add("batch too large", json.dumps({"drafts": [{"text": "x"}] * (BATCH_LIMIT + 1)}), BAD_SHAPE,
        path="/v1/screen/batch")
    # Content types and sizes.
    for ctype in ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=gbk",
                  "application/jsonx", "", "multipart/form-data; boundary=x"]:
        add(f"content type {ctype!r}", good, {415}, ctype=ctype)
    add("unknown compat", good, {400}, path="/v1/screen?compat=baidu")
    add("empty compat", good, {400}, path="/v1/screen?compat=")
    return out


def check(name, status, body, allowed):
    if status not in allowed:
        raise AssertionError(f"{name}: status {status} not in {sorted(allowed)}: {body[:300]!r}")
    try:
        code = json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError(f"{name}: status {status} without a JSON error body: {body[:300]!r}")
    return code


def send(conn, path, body, headers):
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def worker(all_cases, rounds, results, errors):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    statuses, codes = Counter(), Counter()
    reconnects = 0
    name = "?"
    try:
        for _ in range(rounds):
            for name, path, ctype, body, allowed in all_cases:
                headers = {"Authorization": "Bearer " + TOKEN}
                if ctype:
                    headers["Content-Type"] = ctype
                try:
                    status, data = send(conn, path, body, headers)
                except (http.client.RemoteDisconnected, ConnectionError):
                    # The server may close a keep-alive connection after an
                    # error answered before the body was read; a client
                    # retries on a new connection, as browsers do.
                    reconnects += 1
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                    status, data = send(conn, path, body, headers)
                statuses[status] += 1
                codes[check(name, status, data, allowed)] += 1
    except Exception as e:  # noqa: BLE001 - reported with the case
        errors.append(f"{name}: {type(e).__name__}: {e}")
    finally:
        conn.close()
    results.append((statuses, codes, reconnects))


def raw_faults():
    """Connection-level faults: a garbage request line (hyper answers 400
    or closes), and bodies cut off after their head. Returns the count."""
    sent = 0
    for line in [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00",
                 b"POST /v1/screen HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                 b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"]:
        with socket.create_connection((HOST, PORT), timeout=10) as s:
            s.sendall(line)
            s.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := s.recv(4096):
                answer += chunk
            if answer and not answer.startswith(b"HTTP/1.1 4"):
                raise AssertionError(f"raw {line[:20]!r}: answered {answer[:100]!r}")
            sent += 1
    # A body over limits.body_bytes is refused on its Content-Length,
    # before it is sent.
    with socket.create_connection((HOST, PORT), timeout=10) as s:
        s.sendall((f"POST /v1/screen HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {TOKEN}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {2 * BODY_LIMIT}\r\n\r\n").encode())
        answer = s.recv(4096)
        if not answer.startswith(b"HTTP/1.1 413"):
            raise AssertionError(f"body over the limit: answered {answer[:100]!r}")
        sent += 1
    for cut in range(0, 200, 10):
        with socket.create_connection((HOST, PORT), timeout=10) as s:
            head = (f"POST /v1/screen HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {TOKEN}\r\n"
                    "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            s.sendall(head.encode() + b'{"text": "' + b"x" * cut)
        sent += 1
    return sent


def trickle(results):
    """Sends a request's head, then its body a byte every 50 ms, until the
    server answers or closes; appends (seconds, the answer's first bytes)."""
    body = json.dumps({"text": "x" * 990}).encode()
    head = (f"POST /v1/screen HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((HOST, PORT), timeout=TIMEOUT + 30) as s:
        s.sendall(head)
        started = time.monotonic()
        answer = b""
        for byte in body:
            if select.select([s], [], [], 0.05)[0]:
                break  # the server has answered (or closed)
            try:
                s.sendall(bytes([byte]))
            except OSError:
                break  # closed after its answer
        s.settimeout(10)
        try:
            while chunk := s.recv(4096):
                answer += chunk
                if b"\r\n\r\n" in answer and answer.rstrip().endswith(b"}"):
                    break
        except OSError:
            pass
        results.append((time.monotonic() - started, answer))


def slow_clients():
    """Eight trickling clients at once, more than the server's workers:
    each is answered 408 after the request timeout, and ten drafts sent
    meanwhile are each screened within a second. Returns the summary."""
    results = []
    threads = [threading.Thread(target=trickle, args=(results,)) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    slowest = 0.0
    for _ in range(10):
        started = time.monotonic()
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        conn.request("POST", "/v1/screen", body=json.dumps({"text": "本店出售冰毒"}).encode(),
                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        conn.close()
        took = time.monotonic() - started
        slowest = max(slowest, took)
        if response.status != 200 or took > 1.0:
            raise AssertionError(f"a draft sent while clients trickle: {response.status} in {took:.2f} s")
        time.sleep(0.1)
    for t in threads:
        t.join()
    for took, answer in results:
        if not answer.startswith(b"HTTP/1.1 408") or b'"code"' not in answer:
            raise AssertionError(f"a trickling client after {took:.1f} s: answered {answer[:120]!r}")
        if not TIMEOUT <= took < TIMEOUT + 5:
            raise AssertionError(f"a trickling client answered after {took:.1f} s, the timeout is {TIMEOUT} s")
    times = sorted(took for took, _ in results)
    return (f"slow clients: 8 bodies trickled a byte per 50 ms answered 408 after {times[0]:.1f}–{times[-1]:.1f} s"
            f" (timeout {TIMEOUT:g} s); 10 drafts sent meanwhile screened in at most {slowest * 1000:.0f} ms")


def main():
    all_cases = cases()
    results, errors = [], []
    threads = [threading.Thread(target=worker, args=(all_cases, ROUNDS, results, errors))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("faults: " + errors[0], file=sys.stderr)
        sys.exit(1)
    try:
        raw = raw_faults()
        slow = slow_clients()
    except AssertionError as e:
        print("faults: " + str(e), file=sys.stderr)
        sys.exit(1)
    statuses, codes, reconnects = Counter(), Counter(), 0
    for s, c, r in results:
        statuses.update(s)
        codes.update(c)
        reconnects += r
    # The server still screens.
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request("POST", "/v1/screen", body=json.dumps({"text": "本店出售冰毒"}).encode(),
                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    response = conn.getresponse()
    report = json.loads(response.read())
    if response.status != 200 or report.get("verdict") != "block":
        print(f"faults: a good draft after the faults: {response.status} {report}", file=sys.stderr)
        sys.exit(1)
    total = sum(statuses.values())
    print(f"faults: {total} bad requests ({len(all_cases)} cases x {ROUNDS} rounds x 4 connections)"
          f" and {raw} raw-socket faults answered 4xx with JSON errors, no 5xx;"
          f" statuses {dict(sorted(statuses.items()))}")
    print(f"  error codes {dict(sorted(codes.items()))}; {reconnects} reconnections"
          " after the server closed a connection with an unread body")
    print(f"  {slow}")


if __name__ == "__main__":
    main()
