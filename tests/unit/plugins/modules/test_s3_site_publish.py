"""s3_site_publish: one listing, uploads of changed files only, deletes, invalidation, check and diff mode."""

import hashlib

import pytest
from botocore.stub import ANY

from ansible_collections.storagekit.aws.plugins.modules import s3_site_publish

BUCKET = "acme-www"
DISTRIBUTION = "E2QWRUHAPOMQZL"
HTML = "text/html; charset=utf-8"
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"

SITE = {
    "index.html": b"<h1>Hello</h1>",
    "about/index.html": b"<h1>About</h1>",
    "assets/app.3f2a.js": b"console.log(1)",
    "assets/site.css": b"body{}",
    "sw.js": b"self.addEventListener('fetch', () => {})",
    "logo.svg": b"<svg/>",
    "data.bin": b"\x00\x01",
    ".DS_Store": b"junk",
    "assets/.cache/x": b"junk",
}
TYPES = {
    "index.html": (HTML, NO_CACHE),
    "about/index.html": (HTML, NO_CACHE),
    "assets/app.3f2a.js": ("text/javascript; charset=utf-8", IMMUTABLE),
    "assets/site.css": ("text/css; charset=utf-8", IMMUTABLE),
    "sw.js": ("text/javascript; charset=utf-8", NO_CACHE),
    "logo.svg": ("image/svg+xml", IMMUTABLE),
    "data.bin": ("application/octet-stream", IMMUTABLE),
}
PUBLISHED = [k for k in sorted(SITE) if "." != k[0] and "/." not in k]


def md5(data):
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def site(tmp_path):
    for name, data in SITE.items():
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path / "site"


def args(site, **extra):
    return dict(dict(bucket=BUCKET, source=str(site)), **extra)


def listed(key, data=None, etag=None, size=None):
    data = SITE.get(key, b"") if data is None else data
    return dict(Key=key, ETag='"{0}"'.format(etag or md5(data)), Size=len(data) if size is None else size)


def expect_list(stubs, contents, prefix=None, token=None, truncated=False):
    params = dict(Bucket=BUCKET)
    if prefix:
        params["Prefix"] = prefix
    if token:
        params["ContinuationToken"] = token
    response = dict(Contents=contents, IsTruncated=truncated)
    if truncated:
        response["NextContinuationToken"] = "next"
    stubs["s3"].add_response("list_objects_v2", response, params)


def expect_put(stubs, relative, key=None, data=None, **extra):
    data = SITE[relative] if data is None else data
    content_type, cache_control = TYPES[relative]
    params = dict(
        Bucket=BUCKET,
        Key=key or relative,
        Body=data,
        ContentType=content_type,
        CacheControl=cache_control,
        Metadata={"storagekit-md5": md5(data)},
    )
    params.update(extra)
    stubs["s3"].add_response("put_object", dict(ETag='"{0}"'.format(md5(data))), params)


def expect_head(stubs, key, stored_md5, content_type=None, cache_control=None):
    response = dict(Metadata={"storagekit-md5": stored_md5} if stored_md5 else {})
    if content_type:
        response["ContentType"] = content_type
    if cache_control:
        response["CacheControl"] = cache_control
    stubs["s3"].add_response("head_object", response, dict(Bucket=BUCKET, Key=key))


def expect_invalidation(stubs, paths, status="InProgress"):
    stubs["cloudfront"].add_response(
        "create_invalidation",
        dict(
            Location="https://cloudfront.amazonaws.com/2020-05-31/distribution/{0}/invalidation/I1".format(DISTRIBUTION),
            Invalidation=dict(
                Id="I1",
                Status=status,
                CreateTime="2026-11-01T00:00:00Z",
                InvalidationBatch=dict(Paths=dict(Quantity=len(paths), Items=paths), CallerReference="ref"),
            ),
        ),
        dict(
            DistributionId=DISTRIBUTION,
            InvalidationBatch=dict(Paths=dict(Quantity=len(paths), Items=paths), CallerReference=ANY),
        ),
    )


def everything_published():
    return [listed(k) for k in PUBLISHED]


def test_first_publish_uploads_every_file_html_last_and_invalidates_nothing_new(stubs, run_module, site):
    stubs["cloudfront"]  # created by the module because distribution_id is set
    expect_list(stubs, [])
    for key in ["assets/app.3f2a.js", "assets/site.css", "data.bin", "logo.svg", "sw.js", "about/index.html", "index.html"]:
        expect_put(stubs, key)
    result = run_module(s3_site_publish, args(site, distribution_id=DISTRIBUTION), diff=True)
    assert result["changed"] is True
    assert result["uploaded"] == dict(count=7, object_keys=PUBLISHED)
    assert result["deleted"] == dict(count=0, object_keys=[])
    assert result["invalidation_id"] is None and result["invalidation_paths"] == []
    assert result["diff"]["before"] == dict(objects={})
    assert result["diff"]["after"]["objects"]["index.html"] == md5(SITE["index.html"])


def test_no_change_run_makes_one_listing_and_no_write(stubs, run_module, site):
    stubs["cloudfront"]
    contents = everything_published()
    # A multipart upload's ETag is no MD5: the module reads the MD5 it stored in the metadata.
    contents[3] = listed("data.bin", etag="0123456789abcdef0123456789abcdef-2")
    # Hidden paths are excluded from deletion as well as from upload.
    contents.append(listed(".well-known/security.txt", b"x"))
    expect_list(stubs, contents)
    expect_head(stubs, "data.bin", md5(SITE["data.bin"]))
    result = run_module(s3_site_publish, args(site, distribution_id=DISTRIBUTION), diff=True)
    assert result["changed"] is False
    assert result["unchanged"]["count"] == 7
    assert result["diff"] == dict(before={}, after={})
    assert result["invalidation_id"] is None


def test_a_change_uploads_it_deletes_stale_objects_and_invalidates_once(stubs, run_module, site):
    (site / "index.html").write_bytes(b"<h1>Hello again</h1>")
    (site / "logo.svg").write_bytes(b"<svg/ ")  # same size as before
    contents = everything_published() + [listed("old.js", b"old")]
    expect_list(stubs, contents)
    # Same size, other ETag: only the metadata can tell whether it changed.
    expect_head(stubs, "logo.svg", md5(SITE["logo.svg"]))
    expect_put(stubs, "logo.svg", data=b"<svg/ ")
    expect_put(stubs, "index.html", data=b"<h1>Hello again</h1>")
    stubs["s3"].add_response(
        "delete_objects",
        dict(Deleted=[dict(Key="old.js")]),
        dict(Bucket=BUCKET, Delete=dict(Objects=[dict(Key="old.js")], Quiet=True)),
    )
    expect_invalidation(stubs, ["/", "/index.html", "/logo.svg", "/old.js"])
    result = run_module(s3_site_publish, args(site, distribution_id=DISTRIBUTION), diff=True)
    assert result["changed"] is True
    assert result["uploaded"]["object_keys"] == ["index.html", "logo.svg"]
    assert result["deleted"] == dict(count=1, object_keys=["old.js"])
    assert result["unchanged"]["count"] == 5
    assert result["invalidation_id"] == "I1"
    assert result["diff"]["before"]["objects"] == {
        "index.html": md5(SITE["index.html"]),
        "logo.svg": md5(SITE["logo.svg"]),
        "old.js": md5(b"old"),
    }
    assert result["diff"]["after"]["objects"] == {"index.html": md5(b"<h1>Hello again</h1>"), "logo.svg": md5(b"<svg/ ")}
    assert result["diff"]["after"]["invalidation"] == ["/", "/index.html", "/logo.svg", "/old.js"]


def test_kms_etags_fall_back_to_the_stored_md5(stubs, run_module, site):
    contents = [listed(k, etag="f" * 32) for k in PUBLISHED]
    expect_list(stubs, contents)
    for key in PUBLISHED:
        expect_head(stubs, key, md5(SITE[key]))
    result = run_module(s3_site_publish, args(site, sse="aws:kms", kms_key_id="alias/www"))
    assert result["changed"] is False


def expect_key(stubs, state="Enabled"):
    """One KMS DescribeKey of alias/www; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId="alias/www"))
        return
    arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    metadata = dict(KeyId=arn.rsplit("/", 1)[1], Arn=arn, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId="alias/www"))


def test_uploads_with_a_disabled_key_are_refused_before_the_first_put(stubs, run_module, site):
    expect_list(stubs, [listed(k) for k in PUBLISHED if k != "logo.svg"])
    expect_key(stubs, "Disabled")
    result = run_module(s3_site_publish, args(site, sse="aws:kms", kms_key_id="alias/www"), expect_failure=True)
    assert result["msg"] == "kms_key_id: KMS key alias/www is Disabled; the key must be Enabled."


def test_invalid_bucket_name_is_refused_before_any_call(stubs, run_module, site):
    result = run_module(s3_site_publish, dict(args(site), bucket="Site_Bucket"), expect_failure=True)
    assert result["msg"].startswith("bucket: bucket name 'Site_Bucket' is not valid")
    assert not stubs.clients


def test_sse_options_are_sent_with_each_upload(stubs, run_module, site):
    expect_list(stubs, [listed(k) for k in PUBLISHED if k != "logo.svg"])
    expect_key(stubs)
    expect_put(stubs, "logo.svg", ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/www")
    result = run_module(s3_site_publish, args(site, sse="aws:kms", kms_key_id="alias/www"))
    assert result["uploaded"]["object_keys"] == ["logo.svg"]


def test_check_mode_reads_only_and_reports_what_would_happen(stubs, run_module, site):
    (site / "index.html").write_bytes(b"<h1>Hello again</h1>")
    stubs["cloudfront"]
    expect_list(stubs, everything_published() + [listed("old.js", b"old")])
    result = run_module(s3_site_publish, args(site, distribution_id=DISTRIBUTION), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["uploaded"]["object_keys"] == ["index.html"]
    assert result["deleted"]["object_keys"] == ["old.js"]
    assert result["invalidation_paths"] == ["/", "/index.html", "/old.js"]
    assert result["invalidation_id"] is None
    assert set(result["diff"]["before"]["objects"]) == set(["index.html", "old.js"])


def test_delete_false_keeps_stale_objects(stubs, run_module, site):
    expect_list(stubs, everything_published() + [listed("old.js", b"old")])
    result = run_module(s3_site_publish, args(site, delete=False))
    assert result["changed"] is False


def test_prefix_origin_path_and_wildcard_invalidation(stubs, run_module, site):
    contents = [listed("www/" + k, b"stale") for k in PUBLISHED]
    expect_list(stubs, contents, prefix="www/")
    for key in ["assets/app.3f2a.js", "assets/site.css", "data.bin", "logo.svg", "sw.js", "about/index.html", "index.html"]:
        expect_put(stubs, key, key="www/" + key)
    expect_invalidation(stubs, ["/*"])
    result = run_module(s3_site_publish, args(site, prefix="/www", origin_path="/www", distribution_id=DISTRIBUTION, invalidation_path_limit=5))
    assert result["invalidation_paths"] == ["/*"]


def test_prefix_without_origin_path_invalidates_the_prefix(stubs, run_module, site):
    expect_list(stubs, [listed("docs/" + k, b"stale") for k in PUBLISHED], prefix="docs/")
    for key in ["assets/app.3f2a.js", "assets/site.css", "data.bin", "logo.svg", "sw.js", "about/index.html", "index.html"]:
        expect_put(stubs, key, key="docs/" + key)
    expect_invalidation(stubs, ["/docs/*"])
    result = run_module(s3_site_publish, args(site, prefix="docs", distribution_id=DISTRIBUTION, invalidation_path_limit=3))
    assert result["invalidation_paths"] == ["/docs/*"]


def test_wait_for_invalidation_polls_until_completed(stubs, run_module, site):
    contents = everything_published()
    contents[0] = listed("about/index.html", b"<h1>Old about</h1>")
    expect_list(stubs, contents)
    expect_put(stubs, "about/index.html")
    expect_invalidation(stubs, ["/about/", "/about/index.html"])
    for status in ("InProgress", "Completed"):
        stubs["cloudfront"].add_response(
            "get_invalidation",
            dict(
                Invalidation=dict(
                    Id="I1",
                    Status=status,
                    CreateTime="2026-11-01T00:00:00Z",
                    InvalidationBatch=dict(Paths=dict(Quantity=1, Items=["/x"]), CallerReference="ref"),
                )
            ),
            dict(DistributionId=DISTRIBUTION, Id="I1"),
        )
    result = run_module(s3_site_publish, args(site, distribution_id=DISTRIBUTION, wait_for_invalidation=True))
    assert result["invalidation_id"] == "I1"


def test_check_metadata_heads_every_file_and_copies_on_mismatch(stubs, run_module, site):
    expect_list(stubs, everything_published())
    for key in PUBLISHED:
        content_type, cache_control = TYPES[key]
        if key == "sw.js":
            cache_control = IMMUTABLE
        expect_head(stubs, key, md5(SITE[key]), content_type, cache_control)
    stubs["s3"].add_response(
        "copy_object",
        dict(CopyObjectResult=dict(ETag='"x"')),
        dict(
            Bucket=BUCKET,
            Key="sw.js",
            CopySource=dict(Bucket=BUCKET, Key="sw.js"),
            MetadataDirective="REPLACE",
            ContentType="text/javascript; charset=utf-8",
            CacheControl=NO_CACHE,
            Metadata={"storagekit-md5": md5(SITE["sw.js"])},
        ),
    )
    result = run_module(s3_site_publish, args(site, check_metadata=True), diff=True)
    assert result["changed"] is True
    assert result["metadata_updated"] == dict(count=1, object_keys=["sw.js"])
    assert result["diff"]["before"]["metadata"]["sw.js"]["cache_control"] == IMMUTABLE
    assert result["diff"]["after"]["metadata"]["sw.js"]["cache_control"] == NO_CACHE


def test_user_rules_and_types_come_before_the_built_in_ones(stubs, run_module, site):
    expect_list(stubs, [listed(k) for k in PUBLISHED if k != "data.bin"])
    stubs["s3"].add_response(
        "put_object",
        dict(ETag='"x"'),
        dict(
            Bucket=BUCKET,
            Key="data.bin",
            Body=SITE["data.bin"],
            ContentType="application/x-custom",
            Metadata={"storagekit-md5": md5(SITE["data.bin"])},
        ),
    )
    extra = dict(content_types={"BIN": "application/x-custom"}, cache_control=[dict(pattern="*.bin", value="")])
    result = run_module(s3_site_publish, args(site, **extra))
    assert result["uploaded"]["object_keys"] == ["data.bin"]


def test_listing_is_paginated(stubs, run_module, site):
    contents = everything_published()
    expect_list(stubs, contents[:3], truncated=True)
    expect_list(stubs, contents[3:], token="next")
    result = run_module(s3_site_publish, args(site))
    assert result["changed"] is False


def test_failed_deletes_fail_the_module(stubs, run_module, site):
    expect_list(stubs, everything_published() + [listed("old.js", b"old")])
    stubs["s3"].add_response(
        "delete_objects",
        dict(Errors=[dict(Key="old.js", Code="AccessDenied", Message="Access Denied")]),
        dict(Bucket=BUCKET, Delete=dict(Objects=[dict(Key="old.js")], Quiet=True)),
    )
    result = run_module(s3_site_publish, args(site), expect_failure=True)
    assert "old.js" in result["msg"] and "Access Denied" in result["msg"]


def test_bad_options_fail_before_any_call(stubs, run_module, site, tmp_path):
    result = run_module(s3_site_publish, args(tmp_path / "missing"), expect_failure=True)
    assert "is not a directory" in result["msg"]
    result = run_module(s3_site_publish, args(site, kms_key_id="alias/x"), expect_failure=True)
    assert "sse=aws:kms" in result["msg"]
    result = run_module(s3_site_publish, args(site, prefix="docs/", origin_path="/www", distribution_id=DISTRIBUTION), expect_failure=True)
    assert "not inside origin_path" in result["msg"]
    empty = tmp_path / "empty"
    (empty / ".git").mkdir(parents=True)
    (empty / ".git" / "HEAD").write_bytes(b"ref")
    result = run_module(s3_site_publish, args(empty), expect_failure=True)
    assert "holds no files" in result["msg"]
    assert stubs.clients == {}
