# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A Markdown report and a Mermaid diagram of a stack, from what a run returned (or, in check mode, planned).

The playbooks hand over their roles' registered results, so the diagram has the nodes and links the run made, not
a fixed picture; a value a check-mode run cannot know yet reads "(known after apply)".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

UNKNOWN = "(known after apply)"
# Kinds drawn as a cylinder (they hold data); the others are boxes.
DATA_KINDS = ("database", "cache", "table", "bucket", "file_system", "volume")


class StackReportError(ValueError):
    pass


def _node_id(value):
    node = re.sub(r"[^A-Za-z0-9_]", "_", str(value))
    return node if node[:1].isalpha() else "n_" + node


def _label_text(value):
    """Text safe inside a quoted Mermaid label."""
    return str(value).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _md(value):
    """Text safe inside a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _shown(value):
    if value is None or value == "" or value == [] or value == {}:
        return UNKNOWN
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _resources(report):
    resources = report.get("resources")
    if not isinstance(resources, list):
        raise StackReportError("resources must be a list")
    seen = set()
    for resource in resources:
        for key in ("id", "name"):
            if not resource.get(key):
                raise StackReportError("every resource needs {0}: {1!r}".format(key, resource))
        if resource["id"] in seen or resource["id"] == "app":
            raise StackReportError("resource id {0!r} is used twice (app is the application)".format(resource["id"]))
        seen.add(resource["id"])
    for resource in resources:
        for source in resource.get("from") or []:
            if source != "app" and source not in seen:
                raise StackReportError("{0} is linked from {1!r}, which is not a resource".format(resource["id"], source))
    return resources


def mermaid(report):
    """A flowchart: the application, one subgraph per tier, a link from each user of a resource to it."""
    resources = _resources(report)
    lines = ["flowchart LR", '    app["{0}"]'.format(_label_text(report.get("app") or "Application"))]
    groups = []
    for resource in resources:
        group = resource.get("group") or resource.get("label") or resource["name"]
        if group not in groups:
            groups.append(group)
    for index, group in enumerate(groups):
        lines.append('    subgraph tier{0}["{1}"]'.format(index, _label_text(group)))
        for resource in resources:
            if (resource.get("group") or resource.get("label") or resource["name"]) != group:
                continue
            parts = ["<b>{0}</b>".format(_label_text(resource["label"])) if resource.get("label") else None,
                     _label_text(resource["name"])]
            parts += [_label_text(d) for d in resource.get("notes") or [] if d]
            label = "<br/>".join(p for p in parts if p)
            shape = '[("{0}")]' if resource.get("kind") in DATA_KINDS else '["{0}"]'
            lines.append("        {0}{1}".format(_node_id(resource["id"]), shape.format(label)))
        lines.append("    end")
    for resource in resources:
        for source in resource.get("from") or []:
            lines.append("    {0} --> {1}".format(_node_id(source), _node_id(resource["id"])))
    return "\n".join(lines) + "\n"


def _estimate_lines(estimate):
    if not estimate:
        return []
    lines = ["## Monthly estimate", "",
             "{0} {1:,.2f} a month in {2} (on-demand prices of {3}).".format(
                 estimate.get("currency", "USD"), float(estimate.get("total", 0)), estimate.get("region", ""),
                 estimate.get("price_date", "")),
             "", "| tier | monthly |", "|---|---:|"]
    for tier, amount in (estimate.get("tiers") or {}).items():
        lines.append("| {0} | {1:,.2f} |".format(_md(tier), float(amount)))
    lines.append("")
    for resource in estimate.get("resources") or []:
        lines.append("- {0} {1}: {2:,.2f}".format(
            _md(resource.get("type")), _md(resource.get("name")), float(resource.get("monthly", 0))))
    assumptions = estimate.get("assumptions") or []
    if assumptions:
        lines += ["", "Assumptions:", ""] + ["- {0}".format(a) for a in assumptions]
    return lines + [""]


def markdown(report, diagram=None):
    """The report: what exists, how it is secured, what protects it, the estimate, and the diagram."""
    resources = _resources(report)
    planned = report.get("mode") == "plan"
    title = "{0} ({1})".format(report.get("name") or report.get("stack", "stack"), report.get("stack", ""))
    lines = ["# Stack report: {0}".format(title), ""]
    lines.append(
        "The plan of a check-mode run: nothing was changed, and values AWS assigns read {0}.".format(UNKNOWN)
        if planned else "What the run left in place.")
    lines += ["", "- region: {0}".format(report.get("region", "")),
              "- generated: {0}".format(report.get("generated", "")), ""]
    lines += ["## Diagram", "", "```mermaid", (diagram or mermaid(report)).rstrip("\n"), "```", ""]
    lines += ["## What {0}".format("is planned" if planned else "exists"), "",
              "| tier | resource | kind | identifiers |", "|---|---|---|---|"]
    for resource in resources:
        ids = "<br>".join("{0}: {1}".format(_md(k), _md(_shown(v))) for k, v in (resource.get("exists") or {}).items())
        lines.append("| {0} | {1} | {2} | {3} |".format(
            _md(resource.get("group", "")), _md(resource["name"]), _md(resource.get("label") or resource.get("kind", "")), ids))
    for heading, key in (("How it is secured", "secured"), ("What protects it", "protected")):
        lines += ["", "## {0}".format(heading), "", "| resource | {0} |".format(heading.lower()), "|---|---|"]
        for resource in resources:
            items = [i for i in resource.get(key) or [] if i]
            if items:
                lines.append("| {0} | {1} |".format(_md(resource["name"]), "<br>".join(_md(i) for i in items)))
    lines.append("")
    lines += _estimate_lines(report.get("estimate"))
    return "\n".join(lines)


def stack_report(report):
    """Both texts; the Markdown embeds the diagram."""
    if not isinstance(report, dict):
        raise StackReportError("the report input must be a dict")
    diagram = mermaid(report)
    return {"mermaid": diagram, "markdown": markdown(report, diagram)}
