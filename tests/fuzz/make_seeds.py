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


def inbound_sms_bodies():
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


# The SNS envelope alone (common/events/sns_event): both functions' sample events, and one
# sample record with each envelope member missing, empty, null or of another type.
def sns_envelope_bodies():
    samples = events("functions/sms-inbound/events/*.json") + events("functions/delivery-events/events/*.json")
    yield from samples
    base = json.loads(samples[0])["Records"][0]
    odd = []
    for where, key, value in [("Sns", "MessageId", None), ("Sns", "MessageId", ""), ("Sns", "MessageId", 7),
                              ("Sns", "Message", None), ("Sns", "Message", ""), ("Sns", "Message", {"a": 1}),
                              ("Sns", "Timestamp", None), ("Sns", "Timestamp", "yesterday"),
                              ("Sns", "Timestamp", "0000-01-01T00:00:00+23:59"), ("Sns", "Timestamp", "9999-12-31T23:59:60Z"),
                              ("Sns", "Timestamp", 1795705445000), ("Sns", "TopicArn", []),
                              ("record", "EventSource", "aws:sqs"), ("record", "EventSource", None),
                              ("record", "EventSource", 1), ("record", "Sns", "x")]:
        r = json.loads(json.dumps(base))
        target = r["Sns"] if where == "Sns" else r
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
        odd.append(r)
    yield json.dumps({"Records": odd + [1, None, [], {}]}).encode()
    yield b'{"Records":[]}'
    yield b'{"Records":{}}'
    yield b'[{"Records":[]}]'
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


def smart_encoding_bodies():
    yield from cpp_literals("tests/unit/smart_encoding_test.cpp")
    yield from cpp_literals("tests/unit/segments_test.cpp")
    body = "Acme Dental: you\u2019re booked for Tue, Nov 24 at 2:00 PM. Reply C to confirm, STOP to opt out."
    yield body
    yield body * 2
    yield "\u2026" * 70
    yield "\u2026" * 72
    yield "\u02c6" * 81
    yield "\u201c" + "\u20ac" * 75 + "\u201d"
    yield "Cafe\u0301 a\u0301 \U0001F600"
    yield b"Don\xe2\x80\x99t \xff"


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
    "smart_encoding": smart_encoding_bodies,
    "sigv4": sigv4_requests,
    "inbound_sms": inbound_sms_bodies,
    "sns_event": sns_envelope_bodies,
}


def json_literals(*paths):
    """The literals of these files that are JSON documents (or at least start like one)."""
    for path in paths:
        for b in cpp_literals(path):
            if b.lstrip()[:1] in (b"{", b"["):
                yield b


def time_texts():
    yield from cpp_literals("tests/unit/time_test.cpp")
    yield NOW
    yield "0000-01-01T00:00:00+23:59"
    yield "9999-12-31T23:59:60-00:01"
    yield "2026-11-21t09:30:00.123456789+05:30"
    yield "2026-11-21 09:30:00z"
    yield b"\xff" + (1795705445000).to_bytes(8, "little", signed=True)
    yield b"\xff" + (-62167219200000).to_bytes(8, "little", signed=True)


def wire_texts():
    yield from cpp_literals("tests/unit/runtime_wire_test.cpp")
    yield "1795705445000"
    yield "9223372036854"
    yield "999999999999999"
    yield b"std::runtime_error\0caf\xc3\xa9 \xff\xfe \x01\x7f\"\\"


def http_events():
    yield from events("functions/opt-out-api/events/*.json")
    yield from json_literals("tests/unit/opt_out_api/http_event_test.cpp")


# The opt-out-api request bodies of the sample events and the integration test, as
# "<METHOD> <path>\n<body>" (target opt_out_api_routes).
def route_requests():
    for e in events("functions/opt-out-api/events/*.json"):
        try:
            event = json.loads(e)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        http = event.get("requestContext", {}).get("http", {})
        body = event.get("body") or ""
        if event.get("isBase64Encoded") is True:
            import base64
            try:
                body = base64.b64decode(body).decode("utf-8", "replace")
            except Exception:
                continue
        yield "%s %s\n%s" % (http.get("method", "GET"), event.get("rawPath", "/"), body)
    yield "GET /contacts/%2B14255550123\n"
    yield "GET /contacts/(425)%20555-0123\n"
    yield 'POST /opt-in\n{"phone_number":"+14255550123","method":"web_form","source":{"ip":"203.0.113.9","user_agent":"x","channel":"web"},"disclosure_version":"v3","disclosure_text":"I agree","consented_at":"2026-11-20T15:04:05Z"}'
    yield 'POST /opt-out\n{"phone_number":"4255550123","channel":"voice","requested_at":"2026-11-20T15:04:05-08:00","notes":"caller asked","source":{"agent":"j","call":12,"recorded":true}}'
    yield 'POST /opt-out\n{"phone_number":"+14255550123","phone_number":"+12065550100","channel":"sms"}'
    yield 'POST /opt-out\n{"phone_number":"+14255550123","channel":"sms"}\n%%\n@PutOptedOutNumber 400 ValidationException\n{}'


def dynamodb_answers():
    bodies = list(json_literals("tests/unit/aws_dynamodb_test.cpp", "tests/integration/aws_fault_test.cpp"))
    for body in bodies:
        for mode in range(6):
            yield str(mode).encode() + body


def aws_error_answers():
    yield from json_literals("tests/unit/aws_json_client_test.cpp", "tests/integration/aws_fault_test.cpp")
    yield b'400\nX-Amzn-Errortype: com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\n\n{"message":"The conditional request failed","Item":{"a":{"S":"b"}}}'
    yield b'400\nX-Amzn-Errortype: ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/\n\n{"Message":"bad","Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT"}'
    yield b'503\n\n<html>Service Unavailable</html>'
    yield b'429\nx-amzn-RequestId: R1\n\n{"__type":"ThrottlingException","message":"Rate exceeded"}'
    yield b'000\n\nconnection reset'
    yield b'400\nX-Amzn-Errortype: \xff\xfeBad\n\n{}'


SMS_ANSWERS = [
    b'{"MessageId":"m-1"}',
    b'{"OptOutListName":"list","OptedOutNumber":"+14255550123","OptedOutTimestamp":1795705445.25,"EndUserOptedOut":true}',
    b'{"OptOutListArn":"arn","OptOutListName":"list","OptedOutNumbers":[{"OptedOutNumber":"+14255550123","OptedOutTimestamp":1795705445,"EndUserOptedOut":false}],"NextToken":"t"}',
]


def sms_voice_inputs():
    for mode, body in enumerate(SMS_ANSWERS):
        yield str(mode).encode() + body
    for body in json_literals("tests/unit/aws_sms_voice_test.cpp"):
        for mode in range(3):
            yield str(mode).encode() + body
    yield b"3+14255550123\0+12065550100\0Your appointment is tomorrow at 9:00. Reply C to confirm.\0TRANSACTIONAL\0set\0\x000.05"
    yield b"3+14255550123\0pool-123\0" + "caf\u00e9 \U0001F600".encode()


def aws_client_inputs():
    yield b'0200\n{"Item":{"phone_number":{"S":"+14255550123"},"consent_status":{"S":"opted_in"}}}'
    yield b"0200\n{}"
    yield b'0400 com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\n{"message":"Requested resource not found"}'
    yield b'0500\n{"__type":"InternalServerError"}'
    yield (b'1400 com.amazonaws.dynamodb.v20120810#TransactionCanceledException\n{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",'
           b'"Message":"Transaction cancelled","CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed",'
           b'"Item":{"phone_number":{"S":"+14255550123"}}},{"Code":"None"}]}')
    yield b"1200\n{}"
    yield b"2+14255550123\0+12065550100\0Reply STOP to cancel."
    yield b"3200\n" + SMS_ANSWERS[1]
    yield b'3400 ConflictException\n{"message":"opted out","Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT"}'
    yield b"4200\n" + SMS_ANSWERS[2]
    yield b'4400 ValidationException\n{"Message":"bad","Fields":[]}'
    yield b'5200\n{"Count":1,"ScannedCount":1,"Items":[{"id":{"S":"a"}}],"LastEvaluatedKey":{"id":{"S":"a"}}}'
    yield b'6200\n{"UnprocessedItems":{"log":[{"PutRequest":{"Item":{"id":{"S":"1"}}}}]}}'


SEPARATOR = b"\n%%\n"


def sms_inbound_inputs():
    for e in events("functions/sms-inbound/events/*.json"):
        yield e
    stop = event("functions/sms-inbound/events/stop.json")
    # A repeat delivery: the claim finds the message processed.
    yield stop + SEPARATOR + b'400 ConditionalCheckFailedException\n{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"}' \
        + SEPARATOR + b'200\n{"Item":{"processing_status":{"S":"processed"}}}'
    yield stop + SEPARATOR + b"503\n" + SEPARATOR + b"503\n" + SEPARATOR + b"503\n"
    yield stop + SEPARATOR + b'@SendTextMessage 400 ConflictException\n{"Message":"opted out","Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT"}'
    yield stop + SEPARATOR + b"@PutOptedOutNumber 503\n" + SEPARATOR + b"@PutOptedOutNumber 200\n{\"OptedOutTimestamp\":\"x\"}"
    yield event("functions/sms-inbound/events/message.json") + SEPARATOR * 6 + b"200\nnot json"
    yield stop + SEPARATOR + SEPARATOR + b'200\n{"Attributes":{"phone_number":{"S":"+14255550101"},"consent_status":{"S":"opted_out"},"opted_out_at":{"S":"2026-11-21T09:30:00.123Z"}}}'


def opt_out_api_inputs():
    for e in events("functions/opt-out-api/events/*.json"):
        yield e
    opt_out = event("functions/opt-out-api/events/opt-out-email.json")
    yield opt_out + SEPARATOR + b"500\n"
    yield opt_out + SEPARATOR * 3 + b"400 ThrottlingException\n{}"
    yield opt_out + SEPARATOR + b"@PutOptedOutNumber 500\n"
    yield event("functions/opt-out-api/events/opt-in.json") + SEPARATOR + b"@GetItem 200\n" + \
        b'{"Item":{"phone_number":{"S":"+14255550123"},"consent_status":{"S":"opted_out"},"opted_out_at":{"S":"2026-11-21T09:30:00.123Z"},"version":{"N":"3"}}}' + \
        SEPARATOR + b"@DeleteOptedOutNumber 400 ResourceNotFoundException\n{}"
    # The history and the period report read back items of every kind, and give cursors.
    items = b'{"Items":[' + b",".join([
        b'{"phone_number":{"S":"+12065550123"},"sk":{"S":"2026-11-02T10:00:00.000Z#consent#r1"},"direction":{"S":"consent"},"event":{"S":"opt_out"},"occurred_at":{"S":"2026-11-02T10:00:00.000Z"},"deadline":{"S":"2026-11-16T10:00:00.000Z"},"change":{"S":"new"},"channel":{"S":"sms"},"source":{"M":{"ip":{"S":"x"}}}}',
        b'{"phone_number":{"S":"+12065550123"},"sk":{"S":"2026-11-02T10:00:01.000Z#out#m1"},"direction":{"S":"outbound"},"kind":{"S":"reminder"},"status":{"S":"sent"},"sent_at":{"S":"2026-11-02T10:00:01.000Z"},"delivery_events":{"L":[{"M":{"event_type":{"S":"TEXT_DELIVERED"},"event_at":{"N":"1795705445000"}}}]}}',
        b'{"phone_number":{"S":"+12065550123"},"sk":{"S":"2026-11-03T10:00:00.000Z#consent#honored-2026-11-02T10:00:00.000Z"},"direction":{"S":"consent"},"event":{"S":"opt_out_honored"},"occurred_at":{"S":"2026-11-03T10:00:00.000Z"},"business_days":{"N":"1"},"within_deadline":{"BOOL":true}}',
    ]) + b'],"Count":3,"ScannedCount":3,"LastEvaluatedKey":{"phone_number":{"S":"+12065550123"},"sk":{"S":"2026-11-03T10:00:00.000Z#consent#x"}}}'
    yield event("functions/opt-out-api/events/contact-history.json") + SEPARATOR + b"@Query 200\n" + items
    yield event("functions/opt-out-api/events/opt-outs-report.json") + SEPARATOR + b"@Query 200\n" + items


# The delivery events of a configuration set's event destination: the samples, the unit tests'
# JSON literals, each sample's inner SMS event alone, and envelopes around odd members.
def delivery_events_bodies():
    samples = events("functions/delivery-events/events/*.json")
    yield from samples
    yield from json_literals("tests/unit/delivery_events/sns_event_test.cpp")
    inner = []
    for e in samples:
        for r in json.loads(e)["Records"]:
            inner.append(r["Sns"]["Message"])
            yield r["Sns"]["Message"].encode()
    base = json.loads(inner[0])
    odd = []
    for key, value in [("totalMessagePrice", 1e-10), ("totalMessagePrice", 1e9 + 1), ("totalCarrierFee", -0.0),
                       ("eventTimestamp", 2 ** 63), ("totalMessageParts", -1), ("isFinal", 1),
                       ("context", {"message_ref": "2026-01-01T10:00:00.000Z#out#x"}), ("eventType", "MEDIA_DELIVERED")]:
        m = dict(base)
        m[key] = value
        odd.append(m)
    yield sns_envelope(odd + ["{not json", "[]"])
    yield b'{"Records":[{"Sns":{"MessageId":"m","Message":null}}]}'


TARGETS.update({
    "delivery_event": delivery_events_bodies,
    "time": time_texts,
    "runtime_wire": wire_texts,
    "http_event": http_events,
    "dynamodb": dynamodb_answers,
    "aws_error": aws_error_answers,
    "sms_voice": sms_voice_inputs,
    "aws_clients": aws_client_inputs,
    "sms_inbound_handler": sms_inbound_inputs,
    "opt_out_api_handler": opt_out_api_inputs,
    "opt_out_api_routes": route_requests,
})


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
