#!/usr/bin/env python3
"""Writes the seed inputs of each fuzz target into OUT/<target>/ from the project's own inputs:
the sample events (functions/*/events), the fixtures (tests/fixtures) and the string literals of
the unit tests. scripts/fuzz --seeds runs it and merges (libFuzzer -merge=1) what adds coverage
into tests/fuzz/corpus/<target>/. Usage: make_seeds.py REPO OUT"""
import glob
import hashlib
import json
import os
import re
import sys

REPO, OUT = sys.argv[1], sys.argv[2]
NOW = "2026-11-21T09:30:00.123Z"


def read(path):
    with open(os.path.join(REPO, path), "rb") as f:
        return f.read()


def event(path):
    return read(path).replace(b"{{now}}", NOW.encode())


def events(pattern):
    return [event(p) for p in sorted(glob.glob(os.path.join(REPO, pattern)))]


def cpp_literals(path):
    """The string literals of a C++ file, adjacent ones joined, escapes decoded, as UTF-8 bytes."""
    text = read(path).decode("utf-8")
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    token = re.compile(r'R"([^(]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"|\'(?:[^\'\\]|\\.)*\'', re.S)
    last_end, current = -1, None
    for m in token.finditer(text):
        if m.group(0).startswith("'"):
            continue
        value = m.group(2).encode() if m.group(2) is not None else decode(m.group(3))
        if current is not None and text[last_end:m.start()].strip() == "":
            current += value
        else:
            if current is not None:
                out.append(current)
            current = value
        last_end = m.end()
    if current is not None:
        out.append(current)
    return out


def decode(body):
    out, i = bytearray(), 0
    simple = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", '"': b'"', "'": b"'", "0": b"\0",
              "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif e in "uU":
            n = 4 if e == "u" else 8
            out += chr(int(body[i + 2:i + 2 + n], 16)).encode("utf-8", "surrogatepass")
            i += 2 + n
        elif e in "01234567" and re.match(r"[0-7]{1,3}", body[i + 1:]).group(0) != "0":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out += simple.get(e, e.encode())
            i += 2
    return bytes(out)


def sns_envelope(messages):
    records = [{"EventSource": "aws:sns", "Sns": {"MessageId": "sns-%d" % i, "Timestamp": NOW,
                                                  "Message": m if isinstance(m, str) else json.dumps(m)}}
               for i, m in enumerate(messages)]
    return json.dumps({"Records": records}).encode()


def sms(body="STOP", **extra):
    m = {"originationNumber": "+14255550123", "destinationNumber": "+12065550100",
         "messageKeyword": "KEYWORD_1", "messageBody": body, "inboundMessageId": "in-1",
         "previousPublishedMessageId": "prev-1"}
    m.update(extra)
    return {k: v for k, v in m.items() if v is not None}


def sns_event_bodies():
    for e in events("functions/sms-inbound/events/*.json"):
        yield e
        for m in json.loads(e)["Records"]:
            yield m["Sns"]["Message"].encode()  # the inner document alone, for the mutator to reuse
    for body in [b for b in cpp_literals("tests/unit/keywords_test.cpp") if len(b) < 200][:40]:
        yield sns_envelope([sms(body.decode("utf-8", "replace"))])
    yield sns_envelope([sms(originationNumber=None), sms(originationNumber="4255550123"),
                        sms(messageBody=None), "{not json", sms(inboundMessageId=None)])
    yield sns_envelope([sms(messageBody=12)])
    yield b'{"Records":[]}'
    yield b'{"Records":[1,null,"x",{"Sns":1}]}'
    yield b'{"Records":' + b"[" * 2000 + b"]" * 2000 + b"}"


def sigv4_requests():
    for path in sorted(glob.glob(os.path.join(REPO, "tests/fixtures/sigv4/*/request.txt"))):
        request = read(os.path.relpath(path, REPO))
        yield request
        context = os.path.join(os.path.dirname(path), "context.json")
        flags = 0
        if os.path.exists(context):
            c = json.load(open(context))
            flags |= 0 if c.get("normalize", True) else 1
            flags |= 16 if c.get("session_token") else 0
            flags |= 8 if c.get("sign_session_token") is False else 0
        yield bytes([flags | 4]) + request
    yield (b"POST / HTTP/1.1\nhost:dynamodb.us-east-1.amazonaws.com\ncontent-type:application/x-amz-json-1.0\n"
           b"x-amz-target:DynamoDB_20120810.GetItem\n\n{\"TableName\":\"contacts\"}")


def segments_bodies():
    yield from cpp_literals("tests/unit/segments_test.cpp")
    for n in (160, 161, 306, 307):
        yield b"a" * n
    yield b"[" * 80
    yield b"[" * 81
    yield b"a" * 152 + b"[" + b"a" * 152
    yield "ç".encode() * 70
    yield "ç".encode() * 71
    yield "😀".encode() * 35
    yield "a".encode() * 66 + "😀".encode()
    yield b"\xff\xfe abc"


def keyword_bodies():
    yield from cpp_literals("tests/unit/keywords_test.cpp")
    for e in events("functions/sms-inbound/events/*.json"):
        for r in json.loads(e)["Records"]:
            try:
                yield json.loads(r["Sns"]["Message"])["messageBody"].encode()
            except (ValueError, KeyError, TypeError):
                pass


TARGETS = {
    "phone": lambda: cpp_literals("tests/unit/phone_test.cpp"),
    "keywords": keyword_bodies,
    "segments": segments_bodies,
    "sigv4": sigv4_requests,
    "sns_event": sns_event_bodies,
}


def main():
    only = sys.argv[3:]
    for target, make in TARGETS.items():
        if only and target not in only:
            continue
        directory = os.path.join(OUT, target)
        os.makedirs(directory, exist_ok=True)
        count = 0
        for data in make():
            if isinstance(data, str):
                data = data.encode()
            name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)
            count += 1
        print("%s: %d seeds" % (target, count))


main()
