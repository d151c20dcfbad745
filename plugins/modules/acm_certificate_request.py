#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: acm_certificate_request
short_description: Request a public ACM certificate with DNS validation and return its validation records
version_added: 0.1.0
description:
  - Requests a public certificate from AWS Certificate Manager (ACM) for a domain name and its subject
    alternative names, validated through DNS, and returns the CNAME records that prove control of the domains.
  - The certificate is identified by its domain name, its set of subject alternative names and its key
    algorithm. An existing certificate in state C(PENDING_VALIDATION) or C(ISSUED) with exactly these is
    reused, so repeated runs never request a duplicate.
  - The request's C(IdempotencyToken) is derived from these three, so two runs that request the same
    certificate at the same moment (two jobs of one template) get one certificate, since ACM answers every
    request with the same token within an hour with the same ARN.
  - ACM adds the validation records to a new certificate a few seconds after the request; the module polls
    until every domain has its record (bounded by O(wait_timeout)), also with O(wait=false), so the records
    can be created in DNS by the next task.
  - Certificates used by CloudFront must be requested in C(us-east-1); set O(region=us-east-1) for them.
  - To import a certificate issued elsewhere, use M(amazon.aws.acm_certificate).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  domain_name:
    description:
      - The fully qualified domain name of the certificate, for example V(www.example.com) or V(*.example.com).
    type: str
    required: true
  subject_alternative_names:
    description:
      - Further names the certificate covers. O(domain_name) is always covered and need not be listed.
      - A wildcard name and its apex (V(*.example.com) and V(example.com)) share one validation record.
    type: list
    elements: str
    default: []
  key_algorithm:
    description:
      - Algorithm of the certificate's key pair. CloudFront accepts V(RSA_2048) and V(EC_prime256v1).
    type: str
    choices: [RSA_2048, EC_prime256v1, EC_secp384r1]
    default: RSA_2048
  certificate_transparency_logging:
    description:
      - Whether the certificate is logged in public certificate transparency logs. Browsers distrust
        certificates that are not logged, so turn it off only for names that must stay unpublished.
      - Changed in place on an existing certificate.
    type: bool
    default: true
  state:
    description:
      - V(present) requests the certificate unless one exists.
      - V(absent) deletes every ACM-issued certificate with this domain name and set of alternative names,
        whatever its key algorithm and status. It fails before deleting anything while a certificate
        is in use, for example by a CloudFront distribution.
  wait:
    description:
      - Wait until the certificate is C(ISSUED).
      - ACM only issues the certificate once the validation records exist in public DNS, so with
        O(wait=true) the records must already be in place. To create them from this module's result,
        request with O(wait=false), create the records, then run again with O(wait=true).
      - The validation records themselves are always waited for, whatever this option says.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the validation records and, with O(wait=true), for the certificate.
    type: int
    default: 900
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - A no-change run makes one C(ListCertificates) call and one C(DescribeCertificate) call per certificate
    with the same domain name, plus C(ListTagsForCertificate) when O(tags) is set.
"""

EXAMPLES = r"""
- name: Request a certificate for CloudFront (us-east-1), without waiting for validation
  storagekit.aws.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names:
      - "*.example.com"
    region: us-east-1
    wait: false
    tags:
      site: example
  register: cert

- name: Create the validation records
  amazon.aws.route53:
    zone: example.com
    record: "{{ item.name }}"
    type: "{{ item.type }}"
    value: "{{ item.value }}"
    ttl: 300
    overwrite: true
  loop: "{{ cert.certificate.validation_records }}"

- name: Wait until the certificate is issued
  storagekit.aws.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names:
      - "*.example.com"
    region: us-east-1
    wait_timeout: 1800

- name: Delete the certificate once no distribution uses it
  storagekit.aws.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names:
      - "*.example.com"
    region: us-east-1
    state: absent
"""

RETURN = r"""
certificate:
  description:
    - The certificate after the run; predicted in check mode (without an ARN or validation records for
      a certificate that would be requested); empty after O(state=absent).
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the certificate.
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/0b7c4f52-6a67-4a38-9f2c-3d2b1c0e4a11
    domain_name:
      description: The certificate's domain name.
      type: str
      sample: example.com
    subject_alternative_names:
      description: All names the certificate covers, the domain name included.
      type: list
      elements: str
      sample: [example.com, "*.example.com"]
    key_algorithm:
      description: Algorithm of the key pair.
      type: str
      sample: RSA_2048
    status:
      description: C(PENDING_VALIDATION), C(ISSUED) or another ACM status.
      type: str
      sample: PENDING_VALIDATION
    not_after:
      description: End of the validity period, in ISO 8601 format, once issued.
      type: str
      sample: "2027-01-15T23:59:59+00:00"
    in_use_by:
      description: ARNs of the resources that use the certificate.
      type: list
      elements: str
    certificate_transparency_logging:
      description: Whether the certificate is logged in certificate transparency logs.
      type: bool
    validation_records:
      description:
        - The DNS records that validate the certificate, one per distinct record name
          (a wildcard name and its apex share one).
      type: list
      elements: dict
      contains:
        domain_name:
          description: The first domain name this record validates.
          type: str
          sample: example.com
        name:
          description: Record name.
          type: str
          sample: _3a1b2c3d4e5f.example.com.
        type:
          description: Record type, always C(CNAME).
          type: str
          sample: CNAME
        value:
          description: Record value.
          type: str
          sample: _9f8e7d6c5b4a.abcdefghij.acm-validations.aws.
    tags:
      description: Tags of the certificate, when O(tags) is set.
      type: dict
deleted:
  description: ARNs of the certificates deleted (or to be deleted in check mode) with O(state=absent).
  returned: when O(state=absent)
  type: list
  elements: str
"""

import hashlib
import uuid


from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

KEY_ALGORITHMS = ["RSA_2048", "EC_prime256v1", "EC_secp384r1"]
REUSABLE_STATUSES = ["PENDING_VALIDATION", "ISSUED"]
DELETABLE_STATUSES = REUSABLE_STATUSES + ["VALIDATION_TIMED_OUT", "FAILED", "EXPIRED", "INACTIVE", "REVOKED"]
FAILED_STATUSES = ("VALIDATION_TIMED_OUT", "FAILED", "REVOKED", "EXPIRED", "INACTIVE")
MAX_NAME_LENGTH = 253

ARGUMENT_SPEC = dict(
    domain_name=dict(type="str", required=True),
    subject_alternative_names=dict(type="list", elements="str", default=[]),
    key_algorithm=dict(type="str", choices=KEY_ALGORITHMS, default="RSA_2048"),
    certificate_transparency_logging=dict(type="bool", default=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS,
    **wait_options(),
)


# ---------------------------------------------------------------------------------------------
# Names and validation
# ---------------------------------------------------------------------------------------------


def normalize_name(name):
    return name.strip().lower().rstrip(".")


def desired_names(params):
    """The domain name and all names in the order given, the domain name first, without duplicates."""
    domain = normalize_name(params["domain_name"])
    names = [domain]
    for name in params["subject_alternative_names"]:
        name = normalize_name(name)
        if name not in names:
            names.append(name)
    return domain, names


def name_problem(name):
    """Why ``name`` cannot be in a public certificate, or None."""
    if not name:
        return "an empty name"
    if len(name) > MAX_NAME_LENGTH:
        return "longer than {0} characters".format(MAX_NAME_LENGTH)
    labels = name.split(".")
    if len(labels) < 2:
        return "not a fully qualified domain name"
    if "*" in name and (labels[0] != "*" or "*" in ".".join(labels[1:])):
        return "a wildcard that is not the whole first label"
    if any(not label for label in labels):
        return "an empty label"
    return None


def validate_options(module):
    """Refuse names ACM cannot issue for, before any API call."""
    domain, names = desired_names(module.params)
    for name in names:
        problem = name_problem(name)
        if problem:
            module.fail_json(msg="{0!r} cannot be in a certificate: {1}.".format(name, problem))
    if module.params["wait_timeout"] < 0:
        module.fail_json(msg="wait_timeout must not be negative.")
    return domain, names


# ---------------------------------------------------------------------------------------------
# Reading certificates
# ---------------------------------------------------------------------------------------------


def list_summaries(client, statuses, key_types):
    return all_items(
        client.list_certificates, "CertificateSummaryList", CertificateStatuses=statuses, Includes=dict(keyTypes=key_types)
    )


def summary_may_match(summary, domain, names):
    """Whether a listed certificate can be the one wanted; decided without DescribeCertificate if possible."""
    if normalize_name(summary.get("DomainName") or "") != domain:
        return False
    if summary.get("Type") not in (None, "AMAZON_ISSUED"):
        return False
    listed = summary.get("SubjectAlternativeNameSummaries")
    if listed and not summary.get("HasAdditionalSubjectAlternativeNames"):
        return set(normalize_name(n) for n in listed) | set([domain]) == set(names)
    return True


def describe_certificate(client, arn):
    return described(client.describe_certificate, "Certificate", "ResourceNotFoundException", CertificateArn=arn)


def certificate_matches(raw, domain, names):
    if raw is None or raw.get("Type", "AMAZON_ISSUED") != "AMAZON_ISSUED":
        return False
    covered = set(normalize_name(n) for n in raw.get("SubjectAlternativeNames") or []) | set([domain])
    return normalize_name(raw.get("DomainName") or "") == domain and covered == set(names)


def find_certificates(client, domain, names, statuses, key_types):
    """Describe the certificates with exactly this domain name and set of names."""
    found = []
    for summary in list_summaries(client, statuses, key_types):
        if not summary_may_match(summary, domain, names):
            continue
        raw = describe_certificate(client, summary["CertificateArn"])
        if certificate_matches(raw, domain, names) and raw.get("Status") in statuses:
            found.append(raw)
    return found


def preferred(certificates):
    """An issued certificate before a pending one; the newest of those."""
    if not certificates:
        return None

    def rank(raw):
        created = raw.get("CreatedAt")
        return (raw.get("Status") == "ISSUED", created.isoformat() if hasattr(created, "isoformat") else str(created or ""))

    return sorted(certificates, key=rank)[-1]


def records_complete(raw):
    """Whether ACM has published a DNS record for every domain of the certificate."""
    if raw is None:
        return False
    if raw.get("Status") != "PENDING_VALIDATION":
        return True
    options = raw.get("DomainValidationOptions") or []
    return bool(options) and all(o.get("ResourceRecord") for o in options)


def validation_records(raw):
    records, seen = [], set()
    for option in raw.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if not record or record["Name"] in seen:
            continue
        seen.add(record["Name"])
        records.append(dict(domain_name=option["DomainName"], name=record["Name"], type=record["Type"], value=record["Value"]))
    return records


def transparency_logging(raw):
    preference = (raw.get("Options") or {}).get("CertificateTransparencyLoggingPreference", "ENABLED")
    return preference != "DISABLED"


def timestamp(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def normalize_certificate(raw):
    return dict(
        arn=raw["CertificateArn"],
        domain_name=raw.get("DomainName"),
        subject_alternative_names=raw.get("SubjectAlternativeNames") or [],
        key_algorithm=(raw.get("KeyAlgorithm") or "").replace("-", "_") or None,
        status=raw.get("Status"),
        not_after=timestamp(raw.get("NotAfter")),
        in_use_by=raw.get("InUseBy") or [],
        certificate_transparency_logging=transparency_logging(raw),
        validation_records=validation_records(raw),
    )


def identity(domain, names, params):
    """What identifies the certificate, for the diff."""
    return dict(domain_name=domain, subject_alternative_names=names, key_algorithm=params["key_algorithm"])


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


def logging_options(enabled):
    return dict(CertificateTransparencyLoggingPreference="ENABLED" if enabled else "DISABLED")


def idempotency_token(domain, names, params):
    """The same token for the same certificate, so concurrent requests within ACM's hour get one ARN (at most 32 word characters)."""
    identity_text = "\n".join([domain, params["key_algorithm"]] + sorted(names))
    return hashlib.sha256(identity_text.encode("utf-8")).hexdigest()[:32]


def request_certificate(client, domain, names, params, token):
    request = dict(
        DomainName=domain,
        ValidationMethod="DNS",
        KeyAlgorithm=params["key_algorithm"],
        Options=logging_options(params["certificate_transparency_logging"]),
        IdempotencyToken=token,
    )
    if len(names) > 1:
        request["SubjectAlternativeNames"] = names[1:]
    if params["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
    return client.request_certificate(aws_retry=True, **request)["CertificateArn"]


def request_once(client, domain, names, params):
    """The ARN of the requested certificate: the one a concurrent run requested with the same token, or a new one.

    A token stays bound for an hour even to a certificate deleted meanwhile; then a fresh token asks again.
    """
    arn = request_certificate(client, domain, names, params, idempotency_token(domain, names, params))
    if describe_certificate(client, arn) is None:
        arn = request_certificate(client, domain, names, params, uuid.uuid4().hex)
    return arn


def wait_for_records(module, client, arn):
    return wait_until(
        module,
        lambda: describe_certificate(client, arn),
        records_complete,
        module.params["wait_timeout"],
        "the DNS validation records of certificate {0}".format(arn),
    )


def wait_for_issue(module, client, arn):
    def issued(raw):
        status = (raw or {}).get("Status")
        if status in FAILED_STATUSES:
            reason = raw.get("FailureReason")
            module.fail_json(
                msg="Certificate {0} is {1}{2}.".format(arn, status, " ({0})".format(reason) if reason else ""),
                certificate=normalize_certificate(raw),
            )
        return status == "ISSUED"

    return wait_until(
        module,
        lambda: describe_certificate(client, arn),
        issued,
        module.params["wait_timeout"],
        "certificate {0} to be issued (do its DNS validation records exist?)".format(arn),
    )


def apply_transparency(changes, client, module, raw):
    want = module.params["certificate_transparency_logging"]
    have = transparency_logging(raw)
    if want == have:
        return
    changes.apply(
        "certificate_transparency_logging",
        have,
        want,
        lambda: client.update_certificate_options(aws_retry=True, CertificateArn=raw["CertificateArn"], Options=logging_options(want)),
    )


def apply_tags(changes, client, module, arn):
    """Bring the tags in line with O(tags); returns the tags after the run."""
    current = boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(aws_retry=True, CertificateArn=arn).get("Tags") or [])
    return apply_tag_changes(
        changes,
        current,
        module.params["tags"],
        module.params["purge_tags"],
        lambda keys: client.remove_tags_from_certificate(
            aws_retry=True, CertificateArn=arn, Tags=[dict(Key=k, Value=current[k]) for k in keys]
        ),
        lambda tags: client.add_tags_to_certificate(aws_retry=True, CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags)),
    )


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def ensure_present(module, client, domain, names):
    params = module.params
    changes = ChangeSet(module)
    raw = preferred(find_certificates(client, domain, names, REUSABLE_STATUSES, [params["key_algorithm"]]))
    if raw is None:
        want = identity(domain, names, params)
        arn = changes.apply("certificate", None, want, lambda: request_once(client, domain, names, params))
        if arn is None:
            predicted = dict(
                want,
                arn=None,
                status="PENDING_VALIDATION",
                not_after=None,
                in_use_by=[],
                certificate_transparency_logging=params["certificate_transparency_logging"],
                validation_records=[],
            )
            if params["tags"] is not None:
                predicted["tags"] = params["tags"]
            return changes.result(certificate=predicted)
        raw = wait_for_records(module, client, arn)
        tags = params["tags"]
    else:
        apply_transparency(changes, client, module, raw)
        tags = apply_tags(changes, client, module, raw["CertificateArn"]) if params["tags"] is not None else None
        if not records_complete(raw):
            raw = wait_for_records(module, client, raw["CertificateArn"])
    certificate = normalize_certificate(raw)
    if params["wait"] and raw.get("Status") != "ISSUED":
        certificate = normalize_certificate(wait_for_issue(module, client, raw["CertificateArn"]))
    certificate["certificate_transparency_logging"] = params["certificate_transparency_logging"]
    if tags is not None:
        certificate["tags"] = tags
    return changes.result(certificate=certificate)


def ensure_absent(module, client, domain, names):
    changes = ChangeSet(module)
    found = find_certificates(client, domain, names, DELETABLE_STATUSES, KEY_ALGORITHMS)
    in_use = [raw for raw in found if raw.get("InUseBy")]
    if in_use:
        module.fail_json(
            msg="Certificate {0} is in use by {1}; remove it from there before deleting it.".format(
                in_use[0]["CertificateArn"], ", ".join(in_use[0]["InUseBy"])
            )
        )
    arns = [raw["CertificateArn"] for raw in found]
    if not arns:
        return changes.result(certificate={}, deleted=[])

    def write():
        for arn in arns:
            try:
                client.delete_certificate(aws_retry=True, CertificateArn=arn)
            except is_boto3_error_code("ResourceInUseException") as e:
                module.fail_json_aws(e, msg="Certificate {0} is in use; remove it from its CloudFront distribution or load balancer first".format(arn))

    changes.apply("certificate", dict(identity(domain, names, module.params), arns=arns), None, write)
    return changes.result(certificate={}, deleted=arns)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    domain, names = validate_options(module)
    client = aws_client(module, "acm")
    run_state(
        module,
        "the ACM certificate for {0}".format(domain),
        ensure_present,
        ensure_absent,
        client,
        domain,
        names,
    )


if __name__ == "__main__":
    main()
