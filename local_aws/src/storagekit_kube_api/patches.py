"""The PATCH flavours the API server accepts: JSON merge, JSON patch, strategic merge.

Strategic merge follows the Kubernetes rules closely enough for kubernetes.core and helm's
three-way patches: lists of objects merge by their merge key (`name` unless the field says
otherwise), `$patch: delete|replace`, `$retainKeys`, `$deleteFromPrimitiveList/` and
`$setElementOrder/` directives; other lists are replaced.
"""

import copy

import jsonpatch

MERGE_KEYS = {
    "ports": ("containerPort", "port"),
    "volumeMounts": ("mountPath",),
    "volumeDevices": ("devicePath",),
    "hostAliases": ("ip",),
    "imagePullSecrets": ("name",),
}
DEFAULT_MERGE_KEYS = ("name",)


class PatchError(ValueError):
    """The patch cannot be applied (answered 422 or 400)."""


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(target, operations):
    """RFC 6902 JSON patch."""
    try:
        return jsonpatch.apply_patch(target, operations)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError) as error:
        raise PatchError(str(error)) from error


def _merge_key(field, items):
    for key in MERGE_KEYS.get(field, DEFAULT_MERGE_KEYS):
        if items and all(isinstance(item, dict) and key in item for item in items):
            return key
    return None


def _merge_list(field, current, patch):
    directives = [i for i in patch if isinstance(i, dict) and "$patch" in i]
    if any(d["$patch"] == "replace" for d in directives):
        return [i for i in patch if not (isinstance(i, dict) and "$patch" in i)]
    key = _merge_key(field, [i for i in patch if i not in directives] + directives) if patch else None
    if key is None or not all(isinstance(i, dict) and key in i for i in current or []):
        return copy.deepcopy(patch)
    result = copy.deepcopy(current or [])
    for item in patch:
        index = next((n for n, old in enumerate(result) if old[key] == item[key]), None)
        if item.get("$patch") == "delete":
            if index is not None:
                del result[index]
        elif index is None:
            result.append(strategic_merge_patch({}, item))
        else:
            result[index] = strategic_merge_patch(result[index], item)
    return result


def strategic_merge_patch(target, patch):
    """Kubernetes strategic merge patch of `patch` onto `target` (both dicts)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            result[field] = [v for v in result.get(field, []) if v not in value]
        elif value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            if value.get("$patch") == "delete":
                result.pop(key, None)
            else:
                result[key] = strategic_merge_patch(result.get(key), value)
        elif isinstance(value, list):
            result[key] = _merge_list(key, result.get(key), value)
        else:
            result[key] = copy.deepcopy(value)
    if retain is not None:
        result = {k: v for k, v in result.items() if k in retain}
    return result
