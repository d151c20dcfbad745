"""Decoder for the Kubernetes protobuf bodies helm sends (`application/vnd.kubernetes.protobuf`).

client-go's typed clients write Secrets (helm's release records), ConfigMaps, Namespaces,
ServiceAccounts and DeleteOptions as protobuf: the bytes "k8s\\0", then a runtime.Unknown
message holding the apiVersion, the kind and the object's own message. The field numbers
below are those of k8s.io/api's generated.proto. Decoding gives the object's JSON form
(bytes as base64, times as RFC 3339); empty strings, lists, zero times and a zero generation
are dropped as JSON omits them.
"""

import base64
import datetime

MAGIC = b"k8s\x00"
_YEAR_ONE = -62135596800  # Go's zero time, which JSON writes as null

TIME = {1: ("seconds", "int"), 2: ("nanos", "int")}
OWNER_REFERENCE = {
    1: ("kind", "string"), 3: ("name", "string"), 4: ("uid", "string"), 5: ("apiVersion", "string"),
    6: ("controller", "bool"), 7: ("blockOwnerDeletion", "bool"),
}
OBJECT_META = {
    1: ("name", "string"), 2: ("generateName", "string"), 3: ("namespace", "string"),
    4: ("selfLink", "string"), 5: ("uid", "string"), 6: ("resourceVersion", "string"),
    7: ("generation", "count"), 8: ("creationTimestamp", TIME), 9: ("deletionTimestamp", TIME),
    10: ("deletionGracePeriodSeconds", "int"), 11: ("labels", ("map", "string")),
    12: ("annotations", ("map", "string")), 13: ("ownerReferences", ("repeated", OWNER_REFERENCE)),
    14: ("finalizers", ("repeated", "string")),
}
OBJECT_REFERENCE = {
    1: ("kind", "string"), 2: ("namespace", "string"), 3: ("name", "string"), 4: ("uid", "string"),
    5: ("apiVersion", "string"), 6: ("resourceVersion", "string"), 7: ("fieldPath", "string"),
}
MESSAGES = {
    "Secret": {
        1: ("metadata", OBJECT_META), 2: ("data", ("map", "bytes")), 3: ("type", "string"),
        4: ("stringData", ("map", "string")), 5: ("immutable", "bool"),
    },
    "ConfigMap": {
        1: ("metadata", OBJECT_META), 2: ("data", ("map", "string")), 3: ("binaryData", ("map", "bytes")),
        4: ("immutable", "bool"),
    },
    "Namespace": {
        1: ("metadata", OBJECT_META), 2: ("spec", {1: ("finalizers", ("repeated", "string"))}),
        3: ("status", {1: ("phase", "string")}),
    },
    "ServiceAccount": {
        1: ("metadata", OBJECT_META), 2: ("secrets", ("repeated", OBJECT_REFERENCE)),
        3: ("imagePullSecrets", ("repeated", {1: ("name", "string")})),
        4: ("automountServiceAccountToken", "bool"),
    },
    "DeleteOptions": {
        1: ("gracePeriodSeconds", "int"),
        2: ("preconditions", {1: ("uid", "string"), 2: ("resourceVersion", "string")}),
        3: ("orphanDependents", "bool"), 4: ("propagationPolicy", "string"), 5: ("dryRun", ("repeated", "string")),
    },
}
TYPE_META = {1: ("apiVersion", "string"), 2: ("kind", "string")}
UNKNOWN_TYPE_META, UNKNOWN_RAW = 1, 2  # runtime.Unknown fields


class ProtobufError(ValueError):
    """The body is not a Kubernetes protobuf message this decoder knows."""


def _varint(data, pos):
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data):
    """Yield (field number, wire type, value) of one message; lengths give bytes, varints ints."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
            if pos > len(data):
                raise ProtobufError("truncated field")
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        yield number, wire, value


def _scalar(kind, value):
    if kind == "string":
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProtobufError(f"invalid UTF-8 in a string field: {error}") from error
    if kind == "bytes":
        return bytes(value)
    if kind == "bool":
        return bool(value)
    if kind in ("int", "count"):
        value = value - (1 << 64) if value >= 1 << 63 else value
        return None if kind == "count" and value == 0 else value
    return decode_message(value, kind)


def _time(value):
    seconds = value.get("seconds", 0)
    if seconds <= _YEAR_ONE:
        return None
    stamp = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_value(kind, value):
    if kind is TIME:
        return _time(value)
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    return value


def decode_message(data, schema):
    """One message as a JSON-shaped dict; fields not in the schema are skipped."""
    result = {}
    for number, _wire, value in _fields(data):
        if number not in schema:
            continue
        name, kind = schema[number]
        if isinstance(kind, tuple) and kind[0] == "map":
            entry = {n: v for n, _w, v in _fields(value)}
            key = _scalar("string", entry.get(1, b""))
            result.setdefault(name, {})[key] = _json_value(kind[1], _scalar(kind[1], entry.get(2, b"")))
        elif isinstance(kind, tuple) and kind[0] == "repeated":
            result.setdefault(name, []).append(_json_value(kind[1], _scalar(kind[1], value)))
        else:
            result[name] = _json_value(kind, _scalar(kind, value))
    return {k: v for k, v in result.items() if v not in ("", None, [], {})}


def decode(body):
    """A protobuf request body as the JSON object it stands for (with apiVersion and kind)."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing the k8s protobuf prefix")
    unknown = {number: value for number, _wire, value in _fields(body[len(MAGIC):])}
    type_meta = decode_message(unknown.get(UNKNOWN_TYPE_META, b""), TYPE_META)
    kind = type_meta.get("kind")
    if kind not in MESSAGES:
        raise ProtobufError(f"protobuf decoding of kind {kind!r} is not supported")
    obj = decode_message(unknown.get(UNKNOWN_RAW, b""), MESSAGES[kind])
    return {"apiVersion": type_meta.get("apiVersion", "v1"), "kind": kind, **obj}
