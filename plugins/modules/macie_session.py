#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: macie_session
short_description: Enable Amazon Macie in an account and region, and where its findings are published
version_added: 0.1.0
description:
  - Enables Amazon Macie (its session) with a finding publishing frequency and status, pauses or resumes it, and
    sets whether its findings are published to AWS Security Hub (C(PutFindingsPublicationConfiguration)). Macie
    always sends its findings to Amazon EventBridge. Neither amazon.aws nor community.aws has a module for it.
  - An option left unset is neither read nor written. A no-change run reads the session (and the publication
    configuration when a publishing option is set) and writes nothing.
  - O(state=absent) disables Macie, which deletes its findings, jobs and custom data identifiers of the region.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  status:
    description: C(enabled) runs Macie; C(paused) keeps its settings and stops its jobs and findings.
    type: str
    choices: [enabled, paused]
    default: enabled
  finding_publishing_frequency:
    description: How often Macie publishes updates of policy findings to EventBridge and Security Hub.
    type: str
    choices: [FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS]
  publish_classification_findings:
    description: Publish sensitive data (classification) findings to Security Hub.
    type: bool
  publish_policy_findings:
    description: Publish policy findings (bucket security) to Security Hub; Macie does by default.
    type: bool
  state:
    description: Whether Macie is enabled.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Macie with hourly policy finding updates, all findings to Security Hub
  storagekit.aws.macie_session:
    finding_publishing_frequency: ONE_HOUR
    publish_classification_findings: true
    publish_policy_findings: true
"""

RETURN = r"""
session:
  description: The session after the run (predicted in check mode); empty when Macie is not enabled.
  returned: always
  type: dict
  contains:
    status:
      description: C(ENABLED) or C(PAUSED).
      type: str
    finding_publishing_frequency:
      description: The finding publishing frequency.
      type: str
    security_hub:
      description: C(publish_classification_findings) and C(publish_policy_findings); only when one is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.macie import read_session
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    status=dict(type="str", choices=["enabled", "paused"], default="enabled"),
    finding_publishing_frequency=dict(type="str", choices=["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]),
    publish_classification_findings=dict(type="bool"),
    publish_policy_findings=dict(type="bool"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
PUBLISHING = (("publish_classification_findings", "publishClassificationFindings"),
              ("publish_policy_findings", "publishPolicyFindings"))


def manage_publication(module, changes, client, enabled_before):
    """Security Hub publishing, when an option of it is set; the configuration after the run or None."""
    params = module.params
    if all(params[option] is None for option, _key in PUBLISHING):
        return None
    if enabled_before:
        current = client.get_findings_publication_configuration(aws_retry=True)["securityHubConfiguration"]
    else:
        current = {"publishClassificationFindings": False, "publishPolicyFindings": True}  # Macie's defaults
    have = dict((option, current.get(key)) for option, key in PUBLISHING)
    want = dict((option, params[option] if params[option] is not None else have[option]) for option, _key in PUBLISHING)
    if want != have:
        changes.apply("security_hub", have, want, lambda: client.put_findings_publication_configuration(
            aws_retry=True, securityHubConfiguration=dict((key, want[option]) for option, key in PUBLISHING)))
    return want


def ensure_present(module, client):
    params = module.params
    changes = ChangeSet(module)
    current = read_session(client)
    wanted = dict(status=params["status"].upper(), finding_publishing_frequency=params["finding_publishing_frequency"])
    if current is None:
        after = dict(wanted, finding_publishing_frequency=wanted["finding_publishing_frequency"] or "FIFTEEN_MINUTES")
        changes.apply("session", None, after, lambda: client.enable_macie(
            aws_retry=True, status=after["status"], findingPublishingFrequency=after["finding_publishing_frequency"]))
    else:
        facets = changed_facets(wanted, current, ("status", "finding_publishing_frequency"))
        after = dict(current)
        if facets:
            request = {}
            if "status" in facets:
                request["status"] = wanted["status"]
            if "finding_publishing_frequency" in facets:
                request["findingPublishingFrequency"] = wanted["finding_publishing_frequency"]
            after.update((k, v[1]) for k, v in facets.items())
            changes.apply("session", current, after, lambda: client.update_macie_session(aws_retry=True, **request))
    publication = manage_publication(module, changes, client, current is not None)
    if publication is not None:
        after["security_hub"] = publication
    return changes.result(session=after)


def ensure_absent(module, client):
    return remove_one(module, "session", "session", read_session(client), lambda found: found,
                      lambda found: client.disable_macie(aws_retry=True))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    client = aws_client(module, "macie2")
    run_state(module, "the Macie session", ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
