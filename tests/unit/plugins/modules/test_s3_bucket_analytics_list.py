"""s3_bucket_analytics with a list of buckets: one result, diff and error per bucket, at most parallelism at once."""

import threading

from ansible_collections.storagekit.aws.plugins.modules import s3_bucket_analytics

METRICS = [dict(id="EntireBucket")]
RAW_METRICS = [{"Id": "EntireBucket"}]


def expect_metrics(stubs, bucket, *configs):
    stubs["s3"].add_response("list_bucket_metrics_configurations",
                             {"MetricsConfigurationList": list(configs), "IsTruncated": False}, {"Bucket": bucket})


def buckets(*names):
    return [dict(name=name, metrics=METRICS) for name in names]


def test_check_mode_predicts_each_bucket_with_its_own_diff_and_writes_nothing(stubs, run_module):
    expect_metrics(stubs, "shop-logs", *RAW_METRICS)
    expect_metrics(stubs, "shop-uploads", {"Id": "old"})
    result = run_module(s3_bucket_analytics, dict(buckets=buckets("shop-logs", "shop-uploads"), parallelism=1),
                        check_mode=True, diff=True)
    logs, uploads = result["buckets"]
    assert logs["name"] == "shop-logs" and logs["changed"] is False
    assert logs["diff"] == dict(before={}, after={})
    assert uploads["changed"] is True
    assert uploads["diff"]["before"] == {"metrics:EntireBucket": None,
                                         "metrics:old": dict(id="old", prefix=None, tags={})}
    assert uploads["diff"]["after"] == {"metrics:EntireBucket": dict(id="EntireBucket", prefix=None, tags={}),
                                        "metrics:old": None}
    assert [m["id"] for m in uploads["metrics"]] == ["EntireBucket"]
    assert result["changed"] is True
    assert [d["after_header"] for d in result["diff"]] == [
        "the analytics and metrics configurations of bucket shop-logs",
        "the analytics and metrics configurations of bucket shop-uploads"]


def test_one_failed_bucket_leaves_the_others_done_and_fails_the_task_naming_it(stubs, run_module):
    stubs["s3"].add_client_error("list_bucket_metrics_configurations", "AccessDenied", "Access Denied", 403,
                                 expected_params={"Bucket": "shop-logs"})
    expect_metrics(stubs, "shop-uploads")
    stubs["s3"].add_response("put_bucket_metrics_configuration", {}, {
        "Bucket": "shop-uploads", "Id": "EntireBucket", "MetricsConfiguration": {"Id": "EntireBucket"}})
    result = run_module(s3_bucket_analytics, dict(buckets=buckets("shop-logs", "shop-uploads"), parallelism=1),
                        expect_failure=True)
    assert result["msg"].startswith(
        "Failed to manage 1 of 2 buckets: shop-logs (Failed to manage the analytics and metrics configurations "
        "of bucket shop-logs")
    assert "AccessDenied" in result["msg"] or "Access Denied" in result["msg"]
    logs, uploads = result["buckets"]
    assert logs["failed"] is True and logs["changed"] is False
    assert uploads["changed"] is True and [m["id"] for m in uploads["metrics"]] == ["EntireBucket"]
    assert result["changed"] is True


def test_every_bucket_is_checked_before_the_first_call(stubs, run_module):
    items = buckets("shop-logs", "Bad_Name") + [dict(name="shop-uploads", metrics=[dict(id="m"), dict(id="m")])]
    result = run_module(s3_bucket_analytics, dict(buckets=items), expect_failure=True)
    assert result["msg"].startswith("Failed to manage 2 of 3 buckets: Bad_Name (")
    assert "metrics id m is listed more than once" in result["msg"]
    assert "changed" not in result["buckets"][0] or result["buckets"][0]["changed"] is False


def test_an_item_without_a_name_or_with_an_unknown_option_is_refused(stubs, run_module):
    result = run_module(s3_bucket_analytics, dict(buckets=[dict(metrics=METRICS), dict(name="shop-logs", metric=[])]),
                        expect_failure=True)
    assert "item 0 (no name)" in result["msg"] and "item 1 (shop-logs)" in result["msg"]


def test_items_take_the_defaults_of_the_module(stubs, run_module):
    expect_metrics(stubs, "shop-logs", *(RAW_METRICS + [{"Id": "old"}]))
    stubs["s3"].add_response("delete_bucket_metrics_configuration", {}, {"Bucket": "shop-logs", "Id": "old"})
    expect_metrics(stubs, "shop-uploads", *(RAW_METRICS + [{"Id": "old"}]))
    items = buckets("shop-logs") + [dict(name="shop-uploads", metrics=METRICS, purge_metrics=False)]
    result = run_module(s3_bucket_analytics, dict(buckets=items, parallelism=1))
    assert [b["changed"] for b in result["buckets"]] == [True, False]


def test_bucket_and_buckets_are_exclusive(stubs, run_module):
    result = run_module(s3_bucket_analytics, dict(bucket="shop-logs", buckets=buckets("shop-uploads")),
                        expect_failure=True)
    assert "mutually exclusive" in result["msg"]
    result = run_module(s3_bucket_analytics, dict(buckets=buckets("shop-uploads"), metrics=METRICS), expect_failure=True)
    assert "mutually exclusive" in result["msg"]
    assert "one of the following is required" in run_module(s3_bucket_analytics, dict(), expect_failure=True)["msg"]


def test_never_more_than_parallelism_buckets_at_once(monkeypatch, run_module):
    lock = threading.Condition()
    state = dict(active=0, highest=0)

    def ensure(module, client, bucket):
        with lock:
            state["active"] += 1
            state["highest"] = max(state["highest"], state["active"])
            lock.notify_all()
            # Hold the slot until the pool is full (or a moment has passed), so a loose bound would show.
            lock.wait_for(lambda: state["active"] >= 3, timeout=0.5)
        with lock:
            state["active"] -= 1
        return dict(changed=False, metrics=[])

    monkeypatch.setattr(s3_bucket_analytics, "ensure", ensure)
    names = ["shop-bucket-%d" % i for i in range(12)]
    result = run_module(s3_bucket_analytics, dict(buckets=buckets(*names), parallelism=3))
    assert state["highest"] == 3
    assert [b["name"] for b in result["buckets"]] == names


def test_parallelism_below_one_is_refused(stubs, run_module):
    result = run_module(s3_bucket_analytics, dict(buckets=buckets("shop-logs"), parallelism=0), expect_failure=True)
    assert result["msg"] == "parallelism must be 1 or more."
