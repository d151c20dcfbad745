"""Label and field selectors of list, watch and deletecollection requests.

helm finds its release records with a label selector (`owner=helm,name=RELEASE`), and
kubernetes.core passes both kinds through from `label_selectors` / `field_selectors`.
"""

import re

_SET = re.compile(r"^\s*(!?)\s*([^\s!=()]+)\s*(?:(in|notin)\s*\(([^)]*)\)|(==|=|!=)\s*(\S*))?\s*$")


class SelectorError(ValueError):
    """A selector that does not parse (answered 400)."""


def _split(text):
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p for p in parts if p.strip()]


def parse_label_selector(text):
    """A list of (key, operator, values) with operators exists, !, in, notin, =, !=."""
    requirements = []
    for part in _split(text or ""):
        match = _SET.match(part)
        if not match:
            raise SelectorError(f"unable to parse requirement: {part!r}")
        negate, key, set_op, set_values, op, value = match.groups()
        if negate and (set_op or op):
            raise SelectorError(f"unable to parse requirement: {part!r}")
        if set_op:
            requirements.append((key, set_op, {v.strip() for v in set_values.split(",") if v.strip()}))
        elif op:
            requirements.append((key, "!=" if op == "!=" else "=", {value}))
        else:
            requirements.append((key, "!" if negate else "exists", set()))
    return requirements


def labels_match(requirements, labels):
    labels = labels or {}
    for key, op, values in requirements:
        present = key in labels
        ok = {
            "exists": present,
            "!": not present,
            "in": present and labels[key] in values,
            "notin": not present or labels[key] not in values,
            "=": present and labels[key] in values,
            "!=": not present or labels[key] not in values,
        }[op]
        if not ok:
            return False
    return True


def parse_field_selector(text):
    """A list of (dotted path, equal?, value)."""
    requirements = []
    for part in _split(text or ""):
        match = re.match(r"^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$", part)
        if not match:
            raise SelectorError(f"invalid field selector: {part!r}")
        path, op, value = match.groups()
        requirements.append((path, op != "!=", value))
    return requirements


def _field(obj, path):
    value = obj
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def fields_match(requirements, obj):
    return all((_field(obj, path) == value) == equal for path, equal, value in requirements)
