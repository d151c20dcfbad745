# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guardrails a reference playbook checks its whole plan against before its first write.

The plan is what the roles are asked to make (variables only, no AWS reads), so a bad plan is refused with every
violation at once, before anything exists. Each guardrail has an override variable, <prefix>_allow_<guardrail>,
and a violation it overrides is still reported, as overridden.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.cost_estimate import as_flag
from ansible_collections.storagekit.aws.plugins.module_utils.data_class import data_class_problems

# Guardrail -> the suffix of its override variable.
GUARDRAILS = {
    "private_subnets": "allow_public_subnets",
    "encryption": "allow_unencrypted",
    "public_bucket": "allow_public_buckets",
    "open_data_port": "allow_open_data_ports",
    "deletion_protection": "allow_no_deletion_protection",
    "data_classification": "allow_data_class_exceptions",
    "budget": "allow_over_budget",
}

# Ports of data services that must never be open to the whole internet.
DATA_PORTS = {
    1433: "SQL Server", 1521: "Oracle", 2049: "NFS (EFS)", 3306: "MySQL", 5432: "PostgreSQL", 5439: "Redshift",
    6379: "Redis/Valkey", 8182: "Neptune", 9042: "Cassandra", 9200: "OpenSearch", 11211: "Memcached",
    27017: "MongoDB",
}

ANY_CIDRS = ("0.0.0.0/0", "::/0")


class GuardrailError(ValueError):
    pass


def _as_list(value):
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _ports(rule):
    """The data ports a rule opens: from_port..to_port (or ports), all of them for protocol -1 or port -1."""
    if str(rule.get("proto", rule.get("protocol", "tcp"))) in ("-1", "all"):
        return sorted(DATA_PORTS)
    opened = set()
    for port in _as_list(rule.get("ports")):
        low, _sep, high = str(port).partition("-")
        opened.update(p for p in DATA_PORTS if int(low) <= p <= int(high or low))
    if rule.get("from_port") is not None:
        low = int(rule["from_port"])
        high = int(rule.get("to_port") if rule.get("to_port") is not None else low)
        if low == -1:
            return sorted(DATA_PORTS)
        opened.update(p for p in DATA_PORTS if low <= p <= high)
    return sorted(opened)


def _public_statement(statement):
    """An Allow statement to everyone without a condition: the bucket is public."""
    if statement.get("Effect") != "Allow" or statement.get("Condition"):
        return False
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    return "*" in _as_list(principal)


def _private_subnets(plan):
    public = set(_as_list(plan.get("public_subnet_ids")))
    for store in plan.get("data_stores") or []:
        if store.get("placement") == "public":
            yield "{0} is placed in public subnets".format(store["resource"])
        in_public = [s for s in _as_list(store.get("subnet_ids")) if s in public]
        if in_public:
            yield "{0} uses public subnets {1}".format(store["resource"], ", ".join(in_public))


def _encryption(plan):
    for store in plan.get("data_stores") or []:
        if not as_flag(store.get("encryption_at_rest"), True):
            yield "{0} has encryption at rest off".format(store["resource"])
        if not as_flag(store.get("encryption_in_transit"), True):
            yield "{0} has encryption in transit (TLS) off".format(store["resource"])


def _public_bucket(plan):
    for bucket in plan.get("buckets") or []:
        if as_flag(bucket.get("public")):
            yield "{0} is public".format(bucket["resource"])
        elif any(_public_statement(s) for s in bucket.get("policy_statements") or []):
            yield "{0} has a policy statement that allows everyone (Principal *) without a condition".format(bucket["resource"])


def _open_data_port(plan):
    for rule in plan.get("ingress") or []:
        cidrs = [c for c in _as_list(rule.get("cidr_ip")) + _as_list(rule.get("cidr_ipv6")) + _as_list(rule.get("cidr"))
                 if c in ANY_CIDRS]
        ports = _ports(rule)
        if cidrs and ports:
            yield "{0} admits {1} on data port{2} {3}".format(
                rule["resource"], " and ".join(cidrs), "s" if len(ports) > 1 else "",
                ", ".join("{0} ({1})".format(p, DATA_PORTS[p]) for p in ports))


def _deletion_protection(plan):
    if plan.get("state", "present") == "absent":
        return
    for store in plan.get("data_stores") or []:
        if "deletion_protection" in store and not as_flag(store.get("deletion_protection")):
            yield "{0} has deletion protection off".format(store["resource"])


def _data_classification(plan):
    stores = [s for s in plan.get("data_stores") or [] if "classification" in s]
    return data_class_problems(stores)


def _budget(plan):
    limit = plan.get("budget_limit")
    if limit is None or limit == "" or float(limit) <= 0:
        return
    estimate = plan.get("monthly_estimate")
    if estimate is None or estimate == "":
        raise GuardrailError("budget_limit is set but the plan has no monthly_estimate")
    if float(estimate) > float(limit):
        yield "the monthly estimate ${0:,.2f} is above the budget limit ${1:,.2f}".format(float(estimate), float(limit))


CHECKS = {
    "private_subnets": _private_subnets, "encryption": _encryption, "public_bucket": _public_bucket,
    "open_data_port": _open_data_port, "deletion_protection": _deletion_protection,
    "data_classification": _data_classification, "budget": _budget,
}


def check(plan):
    """Every violation of the plan, split into those that refuse the run and those an override allows."""
    if not isinstance(plan, dict):
        raise GuardrailError("the plan must be a dict")
    prefix = plan.get("prefix") or "storagekit"
    overrides = plan.get("overrides") or {}
    unknown = sorted(set(overrides) - set(GUARDRAILS))
    if unknown:
        raise GuardrailError("unknown guardrails in overrides: {0}; known: {1}".format(
            ", ".join(unknown), ", ".join(sorted(GUARDRAILS))))
    result = {"violations": [], "overridden": []}
    for name, suffix in GUARDRAILS.items():
        variable = "{0}_{1}".format(prefix, suffix)
        allowed = as_flag(overrides.get(name))
        for message in CHECKS[name](plan):
            if allowed:
                result["overridden"].append("{0}: {1} (allowed by {2}=true)".format(name, message, variable))
            else:
                result["violations"].append("{0}: {1} (override: {2}=true)".format(name, message, variable))
    result["summary"] = (
        "{0} violation(s) of the guardrails, nothing was changed: {1}".format(
            len(result["violations"]), "; ".join(result["violations"]))
        if result["violations"] else "the plan passes the guardrails")
    return result
