"""stack_report: the diagram has the nodes and links of the resources given; the report lists them and the estimate."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.stack_report import FilterModule, stack_report
from ansible_collections.storagekit.aws.plugins.module_utils.stack_report import UNKNOWN


def report(**extra):
    value = {
        "stack": "eks_platform_storage", "name": "demo-eks", "region": "us-east-1", "mode": "applied",
        "generated": "2026-12-06 19:00 UTC", "app": "Workloads",
        "resources": [
            {"id": "mimir", "name": "mimir", "group": "Observability", "kind": "component", "label": "Mimir",
             "from": ["app"]},
            {"id": "bucket_mimir", "name": "demo-eks-mimir-blocks", "group": "Object storage", "kind": "bucket",
             "label": "S3", "exists": {"ARN": "arn:aws:s3:::demo-eks-mimir-blocks"}, "from": ["mimir"],
             "secured": ["SSE-KMS", ""], "protected": ["versioning enabled"]},
            {"id": "efs", "name": "eks-shared-storage", "group": "File storage", "kind": "file_system",
             "label": "EFS", "notes": ['"elastic" <throughput>'], "exists": {"id": "", "mount targets": ["fsmt-1", "fsmt-2"]},
             "from": ["app"]},
        ],
        "estimate": {"currency": "USD", "total": 17.91, "region": "us-east-1", "price_date": "2026-11-01",
                     "tiers": {"efs": 8.1, "s3": 9.81}, "resources": [{"type": "efs", "name": "eks-shared-storage", "monthly": 8.1}],
                     "assumptions": ["no EBS volumes"]},
    }
    value.update(extra)
    return value


def test_mermaid_is_a_flowchart_of_the_resources_and_their_links():
    assert stack_report(report())["mermaid"] == "\n".join([
        "flowchart LR",
        '    app["Workloads"]',
        '    subgraph tier0["Observability"]',
        '        mimir["<b>Mimir</b><br/>mimir"]',
        "    end",
        '    subgraph tier1["Object storage"]',
        '        bucket_mimir[("<b>S3</b><br/>demo-eks-mimir-blocks")]',
        "    end",
        '    subgraph tier2["File storage"]',
        '        efs[("<b>EFS</b><br/>eks-shared-storage<br/>#quot;elastic#quot; #lt;throughput#gt;")]',
        "    end",
        "    app --> mimir",
        "    mimir --> bucket_mimir",
        "    app --> efs",
    ]) + "\n"


def test_markdown_has_the_diagram_what_exists_security_protection_and_estimate():
    result = stack_report(report())
    text = result["markdown"]
    assert text.startswith("# Stack report: demo-eks (eks_platform_storage)\n\nWhat the run left in place.")
    assert "```mermaid\n" + result["mermaid"] + "```" in text
    assert "## What exists" in text
    assert "| Object storage | demo-eks-mimir-blocks | S3 | ARN: arn:aws:s3:::demo-eks-mimir-blocks |" in text
    assert "| File storage | eks-shared-storage | EFS | id: {0}<br>mount targets: fsmt-1, fsmt-2 |".format(UNKNOWN) in text
    assert "| demo-eks-mimir-blocks | SSE-KMS |" in text
    assert "| demo-eks-mimir-blocks | versioning enabled |" in text
    assert "USD 17.91 a month in us-east-1 (on-demand prices of 2026-11-01)." in text
    assert "| efs | 8.10 |" in text and "- efs eks-shared-storage: 8.10" in text and "- no EBS volumes" in text


def test_a_check_mode_report_describes_the_plan():
    text = stack_report(report(mode="plan"))["markdown"]
    assert "The plan of a check-mode run: nothing was changed" in text
    assert "## What is planned" in text


def test_node_ids_are_made_safe():
    value = report(resources=[{"id": "bucket_my-site.example.com", "name": "b", "kind": "bucket", "from": ["app"]},
                              {"id": "1st", "name": "c"}])
    diagram = stack_report(value)["mermaid"]
    assert "bucket_my_site_example_com[(" in diagram and "app --> bucket_my_site_example_com" in diagram
    assert 'n_1st["c"]' in diagram


@pytest.mark.parametrize("resources, message", [
    ([{"id": "a", "name": "a"}, {"id": "a", "name": "b"}], "used twice"),
    ([{"id": "app", "name": "a"}], "used twice"),
    ([{"id": "a", "name": "a", "from": ["b"]}], "linked from 'b'"),
    ([{"id": "a"}], "needs name"),
    ("x", "must be a list"),
])
def test_bad_input(resources, message):
    with pytest.raises(AnsibleFilterError, match=message):
        stack_report(report(resources=resources))


def test_filter_is_registered():
    assert "stack_report" in FilterModule().filters()
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        stack_report([])
