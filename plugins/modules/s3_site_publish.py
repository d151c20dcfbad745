#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: s3_site_publish
short_description: Publish a local directory of static website files to an S3 prefix, uploading only what changed
version_added: 0.1.0
description:
  - Synchronises the files of a local directory (a built static website) to the objects under a prefix of
    an S3 bucket, with a web-ready C(Content-Type) and C(Cache-Control) on every object, and optionally
    invalidates the changed paths in a CloudFront distribution.
  - The module runs where the files are. For files on the controller, set the task keywords
    C(delegate_to) to V(localhost) and usually C(run_once) to V(true).
  - One paginated C(ListObjectsV2) of the prefix is compared with the local files. An object whose ETag
    equals the MD5 of the local file is unchanged. An object of a different size is changed. Only for an
    object of the same size whose ETag is not that MD5 (multipart uploads, SSE-KMS or SSE-C encryption, or
    a same-size edit) is C(HeadObject) read, to compare the C(storagekit-md5) metadata entry this module
    writes with every upload.
  - Files are uploaded with C(PutObject), one request each, so each file must be smaller than 5 GB.
    HTML files are uploaded after all other files, and objects are deleted last, so pages never
    refer to assets that are not there yet.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  source:
    description:
      - Local directory whose files are published. Its subdirectories become key prefixes.
      - A directory without files (after O(exclude)) is refused, so a failed build cannot empty the site.
    type: path
    required: true
  prefix:
    description:
      - Key prefix under which the files are published, for example V(docs/). A V(/) is added when missing.
      - The default publishes to the root of the bucket, where O(delete=true) removes every object of the
        bucket that is not in O(source) (except excluded ones), so give the site a bucket of its own.
    type: str
    default: ""
  delete:
    description:
      - Delete objects under O(prefix) that have no file in O(source).
      - Objects whose path matches O(exclude) are never deleted.
    type: bool
    default: true
  exclude:
    description:
      - Shell patterns (C(fnmatch)) of paths relative to O(source) that are neither uploaded nor deleted.
        C(*) also matches C(/).
      - The default skips hidden files and directories.
    type: list
    elements: str
    default: [".*", "**/.*"]
  content_types:
    description:
      - C(Content-Type) per file extension (V(.ext) or V(ext), case-insensitive), applied over the built-in
        web types and Python's C(mimetypes) defaults.
      - Built in are, among others, V(text/html; charset=utf-8) for C(.html), V(text/css; charset=utf-8)
        for C(.css), V(text/javascript; charset=utf-8) for C(.js) and C(.mjs), V(application/json) for
        C(.json) and C(.map), V(image/svg+xml) for C(.svg), V(application/manifest+json) for C(.webmanifest),
        V(application/wasm) for C(.wasm), V(font/woff2) for C(.woff2). Unknown extensions get
        V(application/octet-stream).
    type: dict
  cache_control:
    description:
      - C(Cache-Control) rules, tried in order before the built-in ones; the first rule whose pattern matches
        the path relative to O(source) wins.
      - The built-in rules give V(no-cache) to C(*.html), C(*.htm), service workers (C(sw.js),
        C(service-worker.js)), web manifests (C(*.webmanifest), C(manifest.json)), C(robots.txt) and
        C(sitemap.xml), and V(public, max-age=31536000, immutable) to every other file, which suits
        asset files whose names carry a content hash.
    type: list
    elements: dict
    suboptions:
      pattern:
        description: Shell pattern (C(fnmatch)) of the path relative to O(source), for example V(assets/*).
        type: str
        required: true
      value:
        description: The C(Cache-Control) value. An empty string sends no C(Cache-Control).
        type: str
        required: true
  check_metadata:
    description:
      - Also compare C(Content-Type) and C(Cache-Control) of unchanged files, with one C(HeadObject) per
        file, and correct them with C(CopyObject) where they differ.
      - Without it, a changed O(content_types) or O(cache_control) only applies to files uploaded
        because their content changed.
    type: bool
    default: false
  sse:
    description:
      - Server-side encryption of uploaded objects. Without it the bucket's default encryption applies.
    type: str
    choices: [AES256, "aws:kms"]
  kms_key_id:
    description:
      - KMS key id, ARN or alias for O(sse=aws:kms). The C(aws/s3) key when unset.
    type: str
  distribution_id:
    description:
      - Id of a CloudFront distribution serving these objects. When objects were replaced, updated or
        deleted, the module creates one invalidation of their paths (C(/about/) as well as
        C(/about/index.html) for an index page). New files need none.
    type: str
  origin_path:
    description:
      - The origin path of the distribution's S3 origin, for example V(/site) when the distribution serves
        the objects under C(site/) at its root. It is taken off the keys to form the invalidation paths,
        and O(prefix) must lie inside it.
    type: str
    default: ""
  invalidation_path_limit:
    description:
      - When more paths than this changed, one wildcard path (C(/*) for the whole O(prefix)) is invalidated
        instead. CloudFront charges per path beyond the first 1000 each month, a wildcard counting as one.
    type: int
    default: 15
  wait_for_invalidation:
    description:
      - Wait until the invalidation is complete.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait for the invalidation with O(wait_for_invalidation=true).
    type: int
    default: 900
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.s3_bucket_name
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module only reads, and reports what would be uploaded, deleted and invalidated.
  diff_mode:
    support: partial
    details:
      - The diff names the objects that change, with their ETag before and the MD5 of the file after, and the
        C(Content-Type) and C(Cache-Control) metadata that changes; it does not show the content of files.
"""

EXAMPLES = r"""
- name: Publish the built site and invalidate what changed
  storagekit.aws.s3_site_publish:
    bucket: acme-www
    source: "{{ playbook_dir }}/site/dist"
    distribution_id: E2QWRUHAPOMQZL
  delegate_to: localhost
  run_once: true

- name: Publish documentation under a prefix, with long caching for versioned assets only
  storagekit.aws.s3_site_publish:
    bucket: acme-www
    source: docs/_build/html
    prefix: docs/
    cache_control:
      - pattern: "_static/*"
        value: "public, max-age=31536000, immutable"
      - pattern: "*"
        value: "public, max-age=300"
    content_types:
      .txt: text/plain; charset=utf-8
    sse: aws:kms
    kms_key_id: alias/acme-www
  delegate_to: localhost

- name: Put corrected headers on every object without re-uploading unchanged files
  storagekit.aws.s3_site_publish:
    bucket: acme-www
    source: site/dist
    check_metadata: true
  delegate_to: localhost
"""

RETURN = r"""
uploaded:
  description: Files uploaded because they were new or their content changed (or would be, in check mode).
  returned: always
  type: dict
  contains:
    count:
      description: Number of keys.
      type: int
      sample: 2
    object_keys:
      description: The object keys, sorted.
      type: list
      elements: str
      sample: [index.html, assets/app.3f2a1c.js]
metadata_updated:
  description: Unchanged files whose C(Content-Type) or C(Cache-Control) was corrected with O(check_metadata=true).
  returned: always
  type: dict
  contains: &object_keys
    count:
      description: Number of keys.
      type: int
    object_keys:
      description: The object keys, sorted.
      type: list
      elements: str
deleted:
  description: Objects deleted because no file in O(source) has their path.
  returned: always
  type: dict
  contains: *object_keys
unchanged:
  description: Files whose object was already up to date.
  returned: always
  type: dict
  contains: *object_keys
invalidation_id:
  description: Id of the CloudFront invalidation; null when none was created (and in check mode).
  returned: always
  type: str
  sample: I2J0I21PCUYOIK
invalidation_paths:
  description: The paths invalidated (or that would be, in check mode); empty when there is nothing to invalidate.
  returned: always
  type: list
  elements: str
  sample: [/index.html, /]
"""

import fnmatch
import hashlib
import mimetypes
import os
import time
from urllib.parse import quote

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import check_bucket_name
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

MD5_METADATA = "storagekit-md5"
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
DEFAULT_CACHE_CONTROL = [
    dict(pattern=pattern, value=NO_CACHE)
    for pattern in (
        "*.html",
        "*.htm",
        "sw.js",
        "*/sw.js",
        "service-worker.js",
        "*/service-worker.js",
        "*.webmanifest",
        "manifest.json",
        "*/manifest.json",
        "robots.txt",
        "sitemap.xml",
    )
] + [dict(pattern="*", value=IMMUTABLE)]
WEB_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".jsonld": "application/ld+json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".zip": "application/zip",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"
DELETE_BATCH = 1000
CHUNK = 1024 * 1024

CACHE_RULE_SPEC = dict(pattern=dict(type="str", required=True), value=dict(type="str", required=True))
ARGUMENT_SPEC = dict(
    bucket=dict(type="str", required=True),
    source=dict(type="path", required=True),
    prefix=dict(type="str", default=""),
    delete=dict(type="bool", default=True),
    exclude=dict(type="list", elements="str", default=[".*", "**/.*"]),
    content_types=dict(type="dict"),
    cache_control=dict(type="list", elements="dict", options=CACHE_RULE_SPEC),
    check_metadata=dict(type="bool", default=False),
    sse=dict(type="str", choices=["AES256", "aws:kms"]),
    kms_key_id=dict(type="str"),
    distribution_id=dict(type="str"),
    origin_path=dict(type="str", default=""),
    invalidation_path_limit=dict(type="int", default=15),
    wait_for_invalidation=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=900),
)


# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def key_prefix(value):
    """A prefix without a leading ``/`` and, unless empty, with a trailing one."""
    value = (value or "").lstrip("/")
    return value if not value or value.endswith("/") else value + "/"


def content_type_table(overrides):
    """Extension -> Content-Type: Python's built-in types, then the web types, then ``overrides``."""
    table = dict(mimetypes.MimeTypes().types_map[1])  # built-in defaults only, not the host's files
    table.update(WEB_CONTENT_TYPES)
    for extension, content_type in (overrides or {}).items():
        extension = extension.lower()
        table[extension if extension.startswith(".") else "." + extension] = content_type
    return table


def validate_options(module):
    """Refuse inconsistent options and an empty source before any API call."""
    params = module.params
    check_bucket_name(module, "bucket", params["bucket"])
    if not os.path.isdir(params["source"]):
        module.fail_json(msg="source {0} is not a directory.".format(params["source"]))
    if params["kms_key_id"] and params["sse"] != "aws:kms":
        module.fail_json(msg="kms_key_id is only used with sse=aws:kms.")
    if not 1 <= params["invalidation_path_limit"] <= 3000:
        module.fail_json(msg="invalidation_path_limit must be from 1 to 3000.")
    for rule in params["cache_control"] or []:
        if not rule["pattern"]:
            module.fail_json(msg="cache_control patterns must not be empty.")
    origin = key_prefix(params["origin_path"])
    if params["origin_path"] and not key_prefix(params["prefix"]).startswith(origin):
        module.fail_json(msg="prefix {0!r} is not inside origin_path {1!r}.".format(params["prefix"], params["origin_path"]))
    if params["origin_path"] and not params["distribution_id"]:
        module.fail_json(msg="origin_path is only used with distribution_id.")


# ---------------------------------------------------------------------------------------------
# Local files
# ---------------------------------------------------------------------------------------------


def excluded(path, patterns):
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def local_files(source, patterns):
    """Relative path (with ``/``) -> absolute path of every regular file not excluded."""
    files = {}
    for directory, subdirectories, names in os.walk(source):
        subdirectories.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, source).replace(os.sep, "/")
            if os.path.isfile(path) and not excluded(relative, patterns):
                files[relative] = path
    return files


def file_md5(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_control_for(relative, rules):
    for rule in rules:
        if fnmatch.fnmatchcase(relative, rule["pattern"]):
            return rule["value"] or None
    return None


def content_type_for(relative, table):
    return table.get(os.path.splitext(relative)[1].lower(), FALLBACK_CONTENT_TYPE)


def desired_files(module):
    """Key -> what the object should be, for every file of O(source)."""
    params = module.params
    prefix = key_prefix(params["prefix"])
    rules = list(params["cache_control"] or []) + DEFAULT_CACHE_CONTROL
    types = content_type_table(params["content_types"])
    files = {}
    for relative, path in local_files(params["source"], params["exclude"]).items():
        files[prefix + relative] = dict(
            path=path,
            size=os.path.getsize(path),
            md5=file_md5(path),
            content_type=content_type_for(relative, types),
            cache_control=cache_control_for(relative, rules),
        )
    return files


# ---------------------------------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------------------------------


def list_objects(client, bucket, prefix):
    """Key -> ETag (without quotes) and size of every object under ``prefix``."""
    objects = {}
    request = dict(Bucket=bucket)
    if prefix:
        request["Prefix"] = prefix
    while True:
        page = client.list_objects_v2(aws_retry=True, **request)
        for item in page.get("Contents") or []:
            objects[item["Key"]] = dict(etag=item.get("ETag", "").strip('"'), size=item.get("Size"))
        if not page.get("IsTruncated"):
            return objects
        request["ContinuationToken"] = page["NextContinuationToken"]


def existing_objects(module, client, bucket, prefix):
    """The objects under ``prefix``; in check mode a bucket the same run would create holds none yet."""
    try:
        return list_objects(client, bucket, prefix)
    except is_boto3_error_code("NoSuchBucket"):
        if not module.check_mode:
            raise
        return {}


def head_object(client, bucket, key):
    try:
        return client.head_object(aws_retry=True, Bucket=bucket, Key=key)
    except is_boto3_error_code(["404", "NoSuchKey", "NotFound"]):
        return None


def content_unchanged(client, bucket, key, want, have, heads):
    """Whether the object holds the file's content; reads HeadObject only when the listing cannot tell."""
    if have is None:
        return False
    if have["etag"] == want["md5"]:
        return True
    if have["size"] != want["size"]:
        return False
    heads[key] = head_object(client, bucket, key)
    return heads[key] is not None and (heads[key].get("Metadata") or {}).get(MD5_METADATA) == want["md5"]


def metadata_of(head):
    return dict(content_type=head.get("ContentType"), cache_control=head.get("CacheControl"))


def plan(module, client, files, objects):
    """Sort keys into uploads, metadata updates, deletes and unchanged; ``before`` holds what the diff shows."""
    params = module.params
    bucket = params["bucket"]
    prefix = key_prefix(params["prefix"])
    heads = {}
    result = dict(uploads=[], metadata=[], deletes=[], unchanged=[], metadata_before={})
    for key in sorted(files):
        want = files[key]
        if not content_unchanged(client, bucket, key, want, objects.get(key), heads):
            result["uploads"].append(key)
            continue
        if params["check_metadata"]:
            if key not in heads:
                heads[key] = head_object(client, bucket, key)
            head = heads[key]
            wanted = dict(content_type=want["content_type"], cache_control=want["cache_control"])
            if head is None:
                result["uploads"].append(key)
                continue
            if metadata_of(head) != wanted:
                result["metadata"].append(key)
                result["metadata_before"][key] = metadata_of(head)
                continue
        result["unchanged"].append(key)
    if params["delete"]:
        for key in sorted(objects):
            if key not in files and not excluded(key[len(prefix):], params["exclude"]):
                result["deletes"].append(key)
    return result


def sse_arguments(params):
    arguments = {}
    if params["sse"]:
        arguments["ServerSideEncryption"] = params["sse"]
    if params["kms_key_id"]:
        arguments["SSEKMSKeyId"] = params["kms_key_id"]
    return arguments


def object_headers(want, params):
    headers = dict(ContentType=want["content_type"], Metadata={MD5_METADATA: want["md5"]})
    if want["cache_control"]:
        headers["CacheControl"] = want["cache_control"]
    headers.update(sse_arguments(params))
    return headers


def upload_order(key):
    """HTML last, so a page is only replaced once the assets it refers to are there."""
    return (key.lower().endswith((".html", ".htm")), key)


def upload_files(client, params, files, keys):
    for key in sorted(keys, key=upload_order):
        want = files[key]
        with open(want["path"], "rb") as f:
            body = f.read()
        client.put_object(aws_retry=True, Bucket=params["bucket"], Key=key, Body=body, **object_headers(want, params))


def update_metadata(client, params, files, keys):
    bucket = params["bucket"]
    for key in keys:
        client.copy_object(
            aws_retry=True,
            Bucket=bucket,
            Key=key,
            CopySource=dict(Bucket=bucket, Key=key),
            MetadataDirective="REPLACE",
            **object_headers(files[key], params)
        )


def delete_objects(module, client, keys):
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start:start + DELETE_BATCH]
        answer = client.delete_objects(
            aws_retry=True,
            Bucket=module.params["bucket"],
            Delete=dict(Objects=[dict(Key=k) for k in batch], Quiet=True),
        )
        if answer.get("Errors"):
            error = answer["Errors"][0]
            module.fail_json(
                msg="Failed to delete {0} objects, first {1}: {2}".format(len(answer["Errors"]), error.get("Key"), error.get("Message")),
                errors=answer["Errors"],
            )


# ---------------------------------------------------------------------------------------------
# CloudFront
# ---------------------------------------------------------------------------------------------


def viewer_path(key, origin):
    path = key[len(origin):]
    return "/" + quote(path, safe="/-_.~!$&'()+,;=:@")


def invalidation_paths(params, keys):
    """The viewer paths of the changed keys, or one wildcard when there are too many."""
    origin = key_prefix(params["origin_path"])
    paths = []
    for key in sorted(keys):
        path = viewer_path(key, origin)
        paths.append(path)
        if path.endswith("/index.html"):
            paths.append(path[:-len("index.html")])
    paths = sorted(set(paths))
    if len(paths) > params["invalidation_path_limit"]:
        return [viewer_path(key_prefix(params["prefix"]), origin) + "*"]
    return paths


def create_invalidation(module, cloudfront, paths):
    distribution = module.params["distribution_id"]
    reference = "storagekit-{0}-{1}".format(int(time.time() * 1000), hashlib.sha256("\n".join(paths).encode()).hexdigest()[:16])
    invalidation = cloudfront.create_invalidation(
        aws_retry=True,
        DistributionId=distribution,
        InvalidationBatch=dict(Paths=dict(Quantity=len(paths), Items=paths), CallerReference=reference),
    )["Invalidation"]
    if module.params["wait_for_invalidation"] and invalidation.get("Status") != "Completed":
        wait_until(
            module,
            lambda: cloudfront.get_invalidation(aws_retry=True, DistributionId=distribution, Id=invalidation["Id"])["Invalidation"],
            lambda current: current.get("Status") == "Completed",
            module.params["wait_timeout"],
            "CloudFront invalidation {0} of distribution {1}".format(invalidation["Id"], distribution),
        )
    return invalidation["Id"]


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


def listing(keys):
    return dict(count=len(keys), object_keys=sorted(keys))


def publish(module, client, cloudfront, files):
    params = module.params
    changes = ChangeSet(module)
    objects = existing_objects(module, client, params["bucket"], key_prefix(params["prefix"]))
    work = plan(module, client, files, objects)
    uploads, metadata, deletes = work["uploads"], work["metadata"], work["deletes"]
    if uploads or metadata:
        # Each upload and metadata copy names the key: a missing or disabled key fails them half-way.
        KmsKeys(module).require_usable(params["kms_key_id"])

    if uploads or deletes:
        before = dict((k, objects[k]["etag"]) for k in uploads + deletes if k in objects)
        after = dict((k, files[k]["md5"]) for k in uploads)

        def write_objects():
            upload_files(client, params, files, uploads)
            delete_objects(module, client, deletes)

        changes.apply("objects", before, after, write_objects)
    if metadata:
        after = dict(
            (k, dict(content_type=files[k]["content_type"], cache_control=files[k]["cache_control"])) for k in metadata
        )
        changes.apply("metadata", work["metadata_before"], after, lambda: update_metadata(client, params, files, metadata))

    invalidation_id, paths = None, []
    replaced = [k for k in uploads if k in objects] + metadata + deletes
    if params["distribution_id"] and replaced:
        paths = invalidation_paths(params, replaced)
        invalidation_id = changes.apply("invalidation", None, paths, lambda: create_invalidation(module, cloudfront, paths))

    return changes.result(
        uploaded=listing(uploads),
        metadata_updated=listing(metadata),
        deleted=listing(deletes),
        unchanged=listing(work["unchanged"]),
        invalidation_id=invalidation_id,
        invalidation_paths=paths,
    )


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    files = desired_files(module)
    if not files:
        module.fail_json(msg="source {0} holds no files to publish (after exclude).".format(module.params["source"]))
    client = aws_client(module, "s3")
    cloudfront = None
    if module.params["distribution_id"]:
        cloudfront = aws_client(module, "cloudfront")
    what = "publish {0} to s3://{1}/{2}".format(module.params["source"], module.params["bucket"], key_prefix(module.params["prefix"]))
    run(module, what, publish, client, cloudfront, files)


if __name__ == "__main__":
    main()
