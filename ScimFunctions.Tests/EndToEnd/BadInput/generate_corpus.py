#!/usr/bin/env python3
"""Writes corpus.json: bad requests and the RFC 7644 answer each must get.

Run from this folder (python3 generate_corpus.py); the test reads corpus.json, never this script.
Placeholders in paths: {userId}, {groupId} (existing resources), {userName} (the existing user's name).
Macros in bodies and paths, expanded by the test: {{repeat:N:TEXT}} repeats TEXT (which holds no "}}") N
times; {{close:N}} writes N closing braces; {{keys:N}} writes N members "k0":1,...; {{url:TEXT}} (at the end of
a path) URL-escapes TEXT. bodyBase64 carries bytes that are not valid UTF-8. {userNameUpper} is the existing
user's name in upper case.
"""
import base64, json

cases = []
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

def case(name, method, path, status, scim_type, body=None, body_base64=None, content_type="application/scim+json", headers=None):
    row = {"name": name, "method": method, "path": path, "headers": headers or {}, "contentType": content_type if (body is not None or body_base64 is not None) else None,
           "body": body, "bodyBase64": body_base64, "status": status, "scimType": scim_type}
    cases.append(row)

def patch(*ops):
    return json.dumps({"schemas": [PATCH_URN], "Operations": list(ops)})

WRITES = [("POST", "/Users"), ("PUT", "/Users/{userId}"), ("PATCH", "/Users/{userId}"),
          ("POST", "/Groups"), ("PUT", "/Groups/{groupId}"), ("PATCH", "/Groups/{groupId}")]
BODY_ENDPOINTS = WRITES + [("POST", "/Users/.search"), ("POST", "/Groups/.search")]

# Malformed and truncated JSON, and JSON that is not an object.
malformed = {
    "empty": "", "whitespace": "   \r\n", "open-brace": "{", "close-brace": "}", "truncated-after-colon": '{"userName":',
    "truncated-in-string": '{"userName":"abc', "trailing-comma": '{"userName":"a",}', "array": "[1,2]", "string": '"text"',
    "number": "123", "null": "null", "true": "true", "single-quotes": "{'userName':'a'}", "bare-key": '{userName:"a"}',
    "trailing-garbage": '{"userName":"a"} x', "two-objects": '{"a":1}{"b":2}', "block-comment": '/* c */{"userName":"a"}',
    "line-comment": '{"userName":"a" // c\n}', "nan": '{"userName":"a","x":NaN}', "infinity": '{"x":Infinity}',
    "leading-zero": '{"x":01}', "dangling-decimal": '{"x":1.}', "bad-escape": '{"x":"\\x41"}', "short-unicode-escape": '{"x":"\\u12"}',
    "raw-tab-in-string": '{"x":"a\tb"}', "raw-newline-in-string": '{"x":"a\nb"}', "missing-colon": '{"userName" "a"}',
    "missing-comma": '{"a":1 "b":2}', "unclosed-array": '{"emails":[{"value":"a"}}', "deep-unclosed": '{"a":{"b":{"c":',
}
for method, path in BODY_ENDPOINTS:
    for label, body in malformed.items():
        case(f"malformed {label} on {method} {path}", method, path, 400, "invalidSyntax", body=body)

# Bytes that are not UTF-8, and escapes that are not Unicode text.
invalid_utf8 = {
    "ff-in-value": b'{"userName":"\xff"}', "bad-continuation-in-key": b'{"\xc3\x28":"a"}', "overlong-slash": b'{"userName":"\xc0\xaf"}',
    "encoded-surrogate": b'{"userName":"\xed\xa0\x80"}', "truncated-sequence": b'{"userName":"\xe2\x82"}', "ff-outside-string": b'{"userName":"a"\xff}',
}
for method, path in WRITES:
    for label, raw in invalid_utf8.items():
        case(f"invalid UTF-8 {label} on {method} {path}", method, path, 400, "invalidSyntax", body_base64=base64.b64encode(raw).decode())
lone_surrogates = {
    "high-surrogate-value": '{"userName":"\\ud800","displayName":"\\ud800"}', "low-surrogate-value": '{"userName":"\\udc00","displayName":"\\udc00"}',
    "high-then-letter": '{"userName":"\\ud800\\u0041","displayName":"x\\ud800y"}', "surrogate-key": '{"\\ud800":1,"userName":"a","displayName":"a"}',
}
for method, path in WRITES:
    for label, body in lone_surrogates.items():
        case(f"lone surrogate {label} on {method} {path}", method, path, 400, "invalidSyntax", body=body)
case("lone surrogate in PATCH value", "PATCH", "/Users/{userId}", 400, "invalidSyntax",
     body='{"schemas":["%s"],"Operations":[{"op":"replace","path":"title","value":"\\udfff"}]}' % PATCH_URN)

# Duplicate keys, exact and differing only in case.
duplicates = {
    "exact": '{"userName":"x","userName":"x"}', "case-only": '{"userName":"a","USERNAME":"b"}',
    "nested": '{"userName":"a","name":{"givenName":"a","GivenName":"b"}}', "schemas-twice": '{"schemas":[],"Schemas":[],"userName":"a"}',
    "in-array-element": '{"userName":"a","emails":[{"value":"a@x.test","VALUE":"b@x.test"}]}',
}
for label, body in duplicates.items():
    case(f"duplicate keys {label} on POST /Users", "POST", "/Users", 400, "invalidSyntax", body=body)
    case(f"duplicate keys {label} on PUT /Users", "PUT", "/Users/{userId}", 400, "invalidSyntax", body=body)
case("duplicate keys in group", "POST", "/Groups", 400, "invalidSyntax", body='{"displayName":"a","displayname":"b"}')
case("duplicate Operations", "PATCH", "/Users/{userId}", 400, "invalidSyntax",
     body='{"Operations":[{"op":"add","path":"title","value":"a"}],"operations":[{"op":"remove","path":"title"}]}')
case("duplicate op in one operation", "PATCH", "/Users/{userId}", 400, "invalidSyntax",
     body='{"Operations":[{"op":"add","OP":"remove","path":"title","value":"a"}]}')
case("duplicate filter in search", "POST", "/Users/.search", 400, "invalidSyntax", body='{"filter":"userName pr","FILTER":"title pr"}')

# Wrong types and nulls in resources.
user_wrong = {
    "numeric userName": '{"userName":123}', "boolean userName": '{"userName":true}', "object userName": '{"userName":{"a":1}}',
    "null userName": '{"userName":null}', "empty userName": '{"userName":""}', "missing userName": '{"displayName":"No Name"}',
    "two userNames in array": '{"userName":["a","b"]}', "numeric displayName": '{"userName":"typed@x.test","displayName":5}',
    "numeric externalId": '{"userName":"typed@x.test","externalId":7}', "object externalId": '{"userName":"typed@x.test","externalId":{}}',
    "active maybe": '{"userName":"typed@x.test","active":"maybe"}', "active number": '{"userName":"typed@x.test","active":5}',
    "active object": '{"userName":"typed@x.test","active":{}}', "emails number": '{"userName":"typed@x.test","emails":5}',
    "emails array of numbers": '{"userName":"typed@x.test","emails":[5]}',
    "emails primary not boolean": '{"userName":"typed@x.test","emails":[{"value":"a@x.test","primary":"sure"}]}',
    "name as string": '{"userName":"typed@x.test","name":"Barbara"}', "name as number": '{"userName":"typed@x.test","name":5}',
    "name two values": '{"userName":"typed@x.test","name":[{"givenName":"a"},{"givenName":"b"}]}',
    "enterprise not object": '{"userName":"typed@x.test","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}',
    "schemas not array": '{"schemas":"notarray","userName":"typed@x.test"}', "schemas number": '{"schemas":5,"userName":"typed@x.test"}',
    "schemas object": '{"schemas":{"a":1},"userName":"typed@x.test"}', "schemas array of numbers": '{"schemas":[1,2],"userName":"typed@x.test"}',
    "userName taken": '{"userName":"{userName}"}', "userName taken other case": '{"userName":"{userNameUpper}"}',
}
for label, body in user_wrong.items():
    taken = "taken" in label
    status, scim_type = (409, "uniqueness") if taken else (400, "invalidValue")
    case(f"user {label} on POST", "POST", "/Users", status, scim_type, body=body)
    if not taken:
        case(f"user {label} on PUT", "PUT", "/Users/{userId}", status, scim_type, body=body)
group_wrong = {
    "numeric displayName": '{"displayName":5}', "boolean displayName": '{"displayName":false}', "null displayName": '{"displayName":null}',
    "missing displayName": '{"externalId":"x"}', "members string": '{"displayName":"G","members":"x"}',
    "members numeric value": '{"displayName":"G","members":[{"value":5}]}', "members empty value": '{"displayName":"G","members":[{"value":""}]}',
    "members unknown type": '{"displayName":"G","members":[{"value":"{userId}","type":"Robot"}]}', "members array of strings": '{"displayName":"G","members":["{userId}"]}',
    "schemas not array": '{"schemas":"notarray","displayName":"G"}',
}
for label, body in group_wrong.items():
    case(f"group {label} on POST", "POST", "/Groups", 400, "invalidValue", body=body)
    case(f"group {label} on PUT", "PUT", "/Groups/{groupId}", 400, "invalidValue", body=body)

# Long strings and control characters in the indexed attributes.
long_values = {"1025 characters": "{{repeat:1025:a}}", "40000 characters": "{{repeat:40000:a}}"}
controls = {"NUL": "a\\u0000b", "newline": "a\\nb", "tab": "\\tlead", "DEL": "x\\u007f", "unit separator": "\\u001f"}
for label, text in list(long_values.items()) + [(f"control {k}", v) for k, v in controls.items()]:
    case(f"userName {label} on POST", "POST", "/Users", 400, "invalidValue", body='{"userName":"%s"}' % text)
    case(f"userName {label} on PUT", "PUT", "/Users/{userId}", 400, "invalidValue", body='{"userName":"%s"}' % text)
    case(f"user displayName {label} on POST", "POST", "/Users", 400, "invalidValue", body='{"userName":"long@x.test","displayName":"%s"}' % text)
    case(f"externalId {label} on POST", "POST", "/Users", 400, "invalidValue", body='{"userName":"long@x.test","externalId":"%s"}' % text)
    case(f"group displayName {label} on POST", "POST", "/Groups", 400, "invalidValue", body='{"displayName":"%s"}' % text)
    case(f"group displayName {label} on PUT", "PUT", "/Groups/{groupId}", 400, "invalidValue", body='{"displayName":"%s"}' % text)
    case(f"userName {label} by PATCH", "PATCH", "/Users/{userId}", 400, "invalidValue",
         body=patch({"op": "replace", "path": "userName", "value": "PLACEHOLDER"}).replace("PLACEHOLDER", text))
    case(f"displayName {label} by PATCH without path", "PATCH", "/Users/{userId}", 400, "invalidValue",
         body=patch({"op": "add", "value": {"displayName": "PLACEHOLDER"}}).replace("PLACEHOLDER", text))
    case(f"externalId {label} by PATCH", "PATCH", "/Users/{userId}", 400, "invalidValue",
         body=patch({"op": "replace", "path": "externalId", "value": "PLACEHOLDER"}).replace("PLACEHOLDER", text))
    case(f"group displayName {label} by PATCH", "PATCH", "/Groups/{groupId}", 400, "invalidValue",
         body=patch({"op": "replace", "path": "displayName", "value": "PLACEHOLDER"}).replace("PLACEHOLDER", text))
case("numeric userName by PATCH", "PATCH", "/Users/{userId}", 400, "invalidValue", body=patch({"op": "replace", "path": "userName", "value": 123}))
case("boolean userName by PATCH without path", "PATCH", "/Users/{userId}", 400, "invalidValue", body=patch({"op": "replace", "value": {"userName": True}}))
case("numeric group displayName by PATCH", "PATCH", "/Groups/{groupId}", 400, "invalidValue", body=patch({"op": "replace", "path": "displayName", "value": 5}))

# Bodies over the limits: size, keys, elements, depth, values.
case("body over 1 MiB on POST /Users", "POST", "/Users", 413, None, body='{"userName":"big@x.test","nickName":"{{repeat:1048576:x}}"}')
case("body over 1 MiB on PATCH", "PATCH", "/Users/{userId}", 413, None, body=patch({"op": "replace", "path": "nickName", "value": "{{repeat:1048576:x}}"}))
case("body over 1 MiB on POST /Groups", "POST", "/Groups", 413, None, body='{"displayName":"big","x":"{{repeat:1048576:x}}"}')
case("1001 keys in a user", "POST", "/Users", 400, "invalidSyntax", body='{"userName":"many@x.test",{{keys:1001}}}')
case("60000 keys in a user", "POST", "/Users", 400, "invalidSyntax", body='{"userName":"many@x.test",{{keys:60000}}}')
case("60000 keys in a PUT", "PUT", "/Users/{userId}", 400, "invalidSyntax", body='{"userName":"many@x.test",{{keys:60000}}}')
case("60000 keys in a PATCH value", "PATCH", "/Users/{userId}", 400, "invalidSyntax",
     body='{"Operations":[{"op":"add","value":{{{keys:60000}}}}]}')
case("10001 array elements", "POST", "/Users", 400, "invalidSyntax", body='{"userName":"many@x.test","custom":[{{repeat:10000:1,}}1]}')
case("1001 emails", "POST", "/Users", 400, "invalidValue", body='{"userName":"many@x.test","emails":[{{repeat:1000:{"value":"a@x.test"},}}{"value":"b@x.test"}]}')
case("1001 emails by PATCH", "PATCH", "/Users/{userId}", 400, "invalidValue",
     body='{"Operations":[{"op":"add","path":"emails","value":[{{repeat:1000:{"value":"a@x.test"},}}{"value":"b@x.test"}]}]}')
case("1001 custom values by PATCH", "PATCH", "/Users/{userId}", 400, "invalidValue",
     body='{"Operations":[{"op":"add","path":"custom","value":[{{repeat:1000:"v",}}"w"]}]}')
case("nesting 33 deep", "POST", "/Users", 400, "invalidSyntax", body='{"userName":"deep@x.test","x":{{repeat:32:[}}{{repeat:32:]}}}')
case("nesting 1000 deep", "POST", "/Users", 400, "invalidSyntax", body='{"userName":"deep@x.test","x":{{repeat:1000:[}}{{repeat:1000:]}}}')
case("nesting 5000 objects deep", "PUT", "/Users/{userId}", 400, "invalidSyntax", body='{{repeat:5000:{"a":}}1{{close:5000}}')
case("nesting deep in PATCH value", "PATCH", "/Users/{userId}", 400, "invalidSyntax",
     body='{"Operations":[{"op":"add","path":"x","value":{{repeat:40:[}}{{repeat:40:]}}}]}')
case("nesting deep in group", "POST", "/Groups", 400, "invalidSyntax", body='{"displayName":"deep","x":{{repeat:100:{"a":}}1{{close:100}}}')
case("10001 members", "PATCH", "/Groups/{groupId}", 400, "invalidSyntax",
     body='{"Operations":[{"op":"add","path":"members","value":[{{repeat:10001:{"value":"x"},}}{"value":"y"}]}]}')

# PATCH messages that are not valid PatchOps.
patch_bad = [
    ("empty Operations", '{"schemas":["%s"],"Operations":[]}' % PATCH_URN, "invalidValue"),
    ("empty Operations without schemas", '{"Operations":[]}', "invalidValue"),
    ("missing Operations", '{"schemas":["%s"]}' % PATCH_URN, "invalidSyntax"),
    ("Operations string", '{"Operations":"add"}', "invalidSyntax"),
    ("Operations object", '{"Operations":{"op":"add"}}', "invalidSyntax"),
    ("Operations null", '{"Operations":null}', "invalidSyntax"),
    ("operation number", '{"Operations":[1]}', "invalidSyntax"),
    ("operation null", '{"Operations":[null]}', "invalidSyntax"),
    ("op missing", '{"Operations":[{"path":"title","value":"a"}]}', "invalidSyntax"),
    ("op number", '{"Operations":[{"op":5,"path":"title","value":"a"}]}', "invalidSyntax"),
    ("op explode", '{"Operations":[{"op":"explode","path":"title","value":"a"}]}', "invalidSyntax"),
    ("op move", '{"Operations":[{"op":"move","from":"title","path":"nickName"}]}', "invalidSyntax"),
    ("op copy", '{"Operations":[{"op":"copy","from":"title","path":"nickName"}]}', "invalidSyntax"),
    ("op test", '{"Operations":[{"op":"test","path":"title","value":"a"}]}', "invalidSyntax"),
    ("op empty", '{"Operations":[{"op":"","path":"title","value":"a"}]}', "invalidSyntax"),
    ("schemas wrong", '{"schemas":["urn:wrong"],"Operations":[{"op":"add","path":"title","value":"a"}]}', "invalidSyntax"),
    ("schemas not array", '{"schemas":"%s","Operations":[{"op":"add","path":"title","value":"a"}]}' % PATCH_URN, "invalidSyntax"),
    ("path number", '{"Operations":[{"op":"replace","path":5,"value":"a"}]}', "invalidPath"),
    ("path object", '{"Operations":[{"op":"replace","path":{},"value":"a"}]}', "invalidPath"),
    ("path unclosed bracket", patch({"op": "replace", "path": "emails[type eq \"work\"", "value": "a"}), "invalidPath"),
    ("path double dot", patch({"op": "replace", "path": "name..givenName", "value": "a"}), "invalidPath"),
    ("path reversed brackets", patch({"op": "replace", "path": "emails][", "value": "a"}), "invalidPath"),
    ("path filter without value", patch({"op": "replace", "path": "emails[type eq].value", "value": "a"}), "invalidPath"),
    ("path with spaces", patch({"op": "replace", "path": "user Name", "value": "a"}), "invalidPath"),
    ("path OData", patch({"op": "replace", "path": "' or 1 eq 1", "value": "a"}), "invalidPath"),
    ("remove without path", patch({"op": "remove"}), "noTarget"),
    ("add without path, string value", patch({"op": "add", "value": "text"}), "invalidValue"),
    ("replace without path, array value", patch({"op": "replace", "value": [1]}), "invalidValue"),
    ("replace unmatched filter", patch({"op": "replace", "path": "emails[type eq \"nope\"].value", "value": "a@x.test"}), "noTarget"),
    ("replace id", patch({"op": "replace", "path": "id", "value": "other"}), "mutability"),
    ("replace meta.created", patch({"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}), "mutability"),
    ("add groups", patch({"op": "add", "path": "groups", "value": [{"value": "{groupId}"}]}), "mutability"),
    ("remove userName", patch({"op": "remove", "path": "userName"}), "invalidValue"),
    ("replace userName null", patch({"op": "replace", "path": "userName", "value": None}), "invalidValue"),
    ("replace active maybe", patch({"op": "replace", "path": "active", "value": "maybe"}), "invalidValue"),
    ("replace name with number", patch({"op": "replace", "path": "name", "value": 5}), "invalidValue"),
    ("replace emails with number", patch({"op": "replace", "path": "emails", "value": 5}), "invalidValue"),
    ("enterprise extension string", patch({"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "value": "x"}), "invalidValue"),
    ("replace schemas with a string", patch({"op": "replace", "path": "schemas", "value": "notarray"}), "invalidValue"),
    ("add schemas numbers", patch({"op": "add", "path": "schemas", "value": [1, 2]}), "invalidValue"),
    ("one good then one bad", patch({"op": "replace", "path": "title", "value": "changed"}, {"op": "explode"}), "invalidSyntax"),
    ("one good then one failing", patch({"op": "replace", "path": "title", "value": "changed"}, {"op": "remove", "path": "userName"}), "invalidValue"),
]
for label, body, scim_type in patch_bad:
    case(f"PATCH user {label}", "PATCH", "/Users/{userId}", 400, scim_type, body=body)
group_patch_bad = [
    ("empty Operations", '{"schemas":["%s"],"Operations":[]}' % PATCH_URN, "invalidValue"),
    ("members.value", patch({"op": "replace", "path": "members.value", "value": "x"}), "mutability"),
    ("members filter sub-attribute", patch({"op": "replace", "path": "members[value eq \"{userId}\"].display", "value": "x"}), "mutability"),
    ("remove members by display", patch({"op": "remove", "path": "members[display eq \"x\"]"}), "invalidFilter"),
    ("members numeric value", patch({"op": "add", "path": "members", "value": [{"value": 5}]}), "invalidValue"),
    ("members string value", patch({"op": "add", "path": "members", "value": "x"}), "invalidValue"),
    ("members unknown type", patch({"op": "add", "path": "members", "value": [{"value": "{userId}", "type": "Robot"}]}), "invalidValue"),
    ("remove displayName", patch({"op": "remove", "path": "displayName"}), "invalidValue"),
    ("op explode", '{"Operations":[{"op":"explode","path":"displayName","value":"a"}]}', "invalidSyntax"),
    ("path unclosed bracket", patch({"op": "remove", "path": "members[value eq \"x\""}), "invalidPath"),
]
for label, body, scim_type in group_patch_bad:
    case(f"PATCH group {label}", "PATCH", "/Groups/{groupId}", 400, scim_type, body=body)

# Filters that are not RFC 7644 filters, including OData-looking injection.
bad_filters = [
    'userName xx "a"', 'userName eq', 'userName eq "a', '(userName eq "a"', 'userName eq "a")', 'and', 'not', 'or userName pr',
    "userName eq 'a'", "' or 1 eq 1", "userName eq \"a\" or 1 eq 1", "userName eq \"a\" or ''=''", "PartitionKey eq 'x'",
    "RowKey ge ''", 'userName eq "a" and', 'userName eq "a" oror title pr', 'emails[type eq "work"', 'emails[emails[value pr]]',
    'userName pr pr', 'userName eq "a" userName eq "b"', '"a" eq userName', 'userName eq a', 'userName eq "a\\', '[type eq "x"]',
    'userName eq true false', 'meta.lastModified gt', '$filter=userName eq "a"', 'userName eq "a";drop', 'user..Name eq "a"', '.userName pr',
    '{{repeat:40:(}}userName pr{{repeat:40:)}}', 'not (', 'userName sw', 'userName eq 1.2.3',
]
for i, text in enumerate(bad_filters):
    case(f"filter {i} on GET /Users: {text[:40]}", "GET", "/Users?filter={{url:%s}}" % text, 400, "invalidFilter")
for i, text in enumerate(bad_filters[:12]):
    case(f"filter {i} on GET /Groups: {text[:40]}", "GET", "/Groups?filter={{url:%s}}" % text, 400, "invalidFilter")
    case(f"filter {i} on POST /Users/.search: {text[:40]}", "POST", "/Users/.search", 400, "invalidFilter",
         body=json.dumps({"schemas": [SEARCH_URN], "filter": text}))

# Paging, sorting, attributes and cursors.
query_bad = [
    ("count=many", "invalidValue"), ("count=1.5", "invalidValue"), ("count=0x10", "invalidValue"), ("count=1e3", "invalidValue"),
    ("count=%20%2B", "invalidValue"), ("startIndex=abc", "invalidValue"), ("startIndex=1e3", "invalidValue"), ("startIndex=--1", "invalidValue"),
    ("cursor=garbage", "invalidCursor"), ("cursor=AAAA", "invalidCursor"), ("cursor=%00", "invalidCursor"), ("cursor={{repeat:3000:A}}", "invalidCursor"),
]
for query, scim_type in query_bad:
    case(f"query {query[:40]} on GET /Users", "GET", "/Users?" + query, 400, scim_type)
    case(f"query {query[:40]} on GET /Groups", "GET", "/Groups?" + query, 400, scim_type)
search_bad = [
    ("startIndex string", {"startIndex": "x"}, "invalidValue"), ("count boolean", {"count": True}, "invalidValue"),
    ("count object", {"count": {}}, "invalidValue"), ("attributes number", {"attributes": 5}, "invalidValue"),
    ("attributes array of numbers", {"attributes": [1]}, "invalidValue"), ("sortBy number", {"sortBy": 5}, "invalidValue"),
    ("filter number", {"filter": 5}, "invalidValue"), ("filter array", {"filter": ["userName pr"]}, "invalidValue"),
    ("cursor garbage", {"cursor": "garbage"}, "invalidCursor"),
]
for label, extra, scim_type in search_bad:
    body = {"schemas": [SEARCH_URN]}
    body.update(extra)
    case(f"search {label}", "POST", "/Users/.search", 400, scim_type, body=json.dumps(body))
case("search filter over 8192 characters", "POST", "/Users/.search", 400, "invalidFilter", body='{"filter":"userName eq \\"{{repeat:9000:a}}\\""}')
case("search filter nested 40 deep", "POST", "/Groups/.search", 400, "invalidFilter", body='{"filter":"{{repeat:40:(}}displayName pr{{repeat:40:)}}"}')
case("search wrong schemas", "POST", "/Users/.search", 400, "invalidSyntax", body='{"schemas":["urn:wrong"],"filter":"userName pr"}')
case("search wrong schemas on groups", "POST", "/Groups/.search", 400, "invalidSyntax", body='{"schemas":["urn:wrong"]}')

# Preconditions that do not match.
for method, path, body in [("PUT", "/Users/{userId}", '{"userName":"{userName}"}'), ("PATCH", "/Users/{userId}", patch({"op": "replace", "path": "title", "value": "x"})),
                           ("DELETE", "/Users/{userId}", None), ("PUT", "/Groups/{groupId}", '{"displayName":"Renamed"}'),
                           ("PATCH", "/Groups/{groupId}", patch({"op": "replace", "path": "displayName", "value": "x"})), ("DELETE", "/Groups/{groupId}", None)]:
    for label, value in [("garbage", "garbage"), ("weak mismatch", 'W/"nope"'), ("list of mismatches", '"a", "b"')]:
        case(f"If-Match {label} on {method} {path}", method, path, 412, None, body=body, headers={"If-Match": value})

# Media types other than SCIM JSON and JSON.
for content_type in ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx", "application/json-patch+json", "application/x-www-form-urlencoded"]:
    for method, path, body in [("POST", "/Users", '{"userName":"media@x.test"}'), ("PATCH", "/Users/{userId}", patch({"op": "replace", "path": "title", "value": "x"})),
                               ("POST", "/Groups", '{"displayName":"Media"}')]:
        case(f"content type {content_type} on {method} {path}", method, path, 415, None, body=body, content_type=content_type)

# Ids that name nothing: injection-looking, separators, control characters, very long.
weird_ids = ["%27%20or%201%20eq%201", "PartitionKey", "RowKey", "user%7Cx", "a%5Cb", "%23", "%3F", "%25", "%2525", "%0A", "%09x",
             "%E2%80%AE", "{{repeat:2000:a}}", "0123456789abcdef0123456789abcdeg", "*", "%20"]
for i, weird in enumerate(weird_ids):
    case(f"id {i} {weird[:20]} GET user", "GET", "/Users/" + weird, 404, None)
    case(f"id {i} {weird[:20]} DELETE user", "DELETE", "/Users/" + weird, 404, None)
    case(f"id {i} {weird[:20]} PATCH group", "PATCH", "/Groups/" + weird, 404, None, body=patch({"op": "replace", "path": "displayName", "value": "x"}))
    case(f"id {i} {weird[:20]} PUT user", "PUT", "/Users/" + weird, 404, None, body='{"userName":"weird@x.test"}')

# /Me is not implemented (RFC 7644 §3.11).
for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]:
    case(f"/Me {method}", method, "/Me", 501, None, body=None if method in ("GET", "DELETE") else '{"userName":"me@x.test"}')

# A refused group write changes nothing, not even briefly: members that are not users of the directory.
for label, member in [("unknown user id", "0123456789abcdef0123456789abcdef"), ("non-server id", "not-a-user")]:
    body = '{"displayName":"Refused","members":[{"value":"' + member + '"}]}'
    case(f"group member {label} on POST", "POST", "/Groups", 400, "invalidValue", body=body)
    case(f"group member {label} on PUT", "PUT", "/Groups/{groupId}", 400, "invalidValue", body=body)
    case(f"group member {label} on PATCH", "PATCH", "/Groups/{groupId}", 400, "invalidValue",
         body=patch({"op": "add", "path": "members", "value": [{"value": member}]}))

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
with open("corpus.json", "w", encoding="utf-8") as f:
    json.dump(cases, f, indent=1, ensure_ascii=True)
    f.write("\n")
print(len(cases), "cases")
