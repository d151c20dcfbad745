#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_origin_access_control
short_description: Manage a CloudFront origin access control
version_added: 0.1.0
description:
  - Creates, updates and deletes a CloudFront origin access control (OAC), the identity CloudFront
    signs its requests to a private origin (an S3 bucket, a MediaStore container, a Lambda function URL
    or a MediaPackage v2 endpoint) with.
  - The OAC is identified by O(name), which is unique in an AWS account.
  - Updates and deletes carry the ETag of the version read, so a concurrent change is never overwritten.
  - An OAC still used by a distribution cannot be deleted; the module says so clearly. Remove it from
    the distribution first (or delete the distribution).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the origin access control, unique in the account.
    type: str
    required: true
  description:
    description:
      - Description of the origin access control.
      - When not set, an existing description is left alone and a new OAC gets none.
    type: str
  origin_type:
    description:
      - The kind of origin the OAC signs requests to.
    type: str
    choices: [s3, mediastore, lambda, mediapackagev2]
    default: s3
  signing_behavior:
    description:
      - V(always) signs every origin request (the secure choice for a private bucket);
        V(never) signs none; V(no-override) signs unless the viewer request carries an C(Authorization) header.
    type: str
    choices: [always, never, no-override]
    default: always
  signing_protocol:
    description:
      - How requests are signed.
    type: str
    choices: [sigv4]
    default: sigv4
  state:
    description:
      - Whether the origin access control should exist.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Origin access control for a private S3 bucket
  storagekit.aws.cloudfront_origin_access_control:
    name: website-assets
    description: CloudFront access to the website bucket
  register: oac

- name: Serve the bucket through CloudFront with it
  storagekit.aws.cloudfront_s3_distribution:
    name: website
    origin_bucket: example-website-assets
    origin_bucket_region: eu-west-1
    origin_access_control_id: "{{ oac.origin_access_control.id }}"

- name: Delete the origin access control (after the distributions that used it)
  storagekit.aws.cloudfront_origin_access_control:
    name: website-assets
    state: absent
"""

RETURN = r"""
origin_access_control:
  description: The origin access control after the run (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the origin access control; not known in check mode before creation.
      type: str
      sample: E2QWRUHAPOMQZL
    name:
      description: Name of the origin access control.
      type: str
      sample: website-assets
    description:
      description: Description of the origin access control.
      type: str
      sample: CloudFront access to the website bucket
    origin_type:
      description: Kind of origin, for example C(s3).
      type: str
      sample: s3
    signing_behavior:
      description: C(always), C(never) or C(no-override).
      type: str
      sample: always
    signing_protocol:
      description: Signing protocol.
      type: str
      sample: sigv4
    etag:
      description: ETag of the current version; not known in check mode after a predicted change.
      type: str
      sample: E1ZRP2PVB6HVRA
"""


from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import find_origin_access_control
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import get_origin_access_control
from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    origin_type=dict(type="str", choices=["s3", "mediastore", "lambda", "mediapackagev2"], default="s3"),
    signing_behavior=dict(type="str", choices=["always", "never", "no-override"], default="always"),
    signing_protocol=dict(type="str", choices=["sigv4"], default="sigv4"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
SETTINGS = ("description", "origin_type", "signing_behavior", "signing_protocol")
NAME_MAX_LENGTH = 64


def validate_options(module):
    """Refuse bad input before any API call."""
    name = module.params["name"]
    if not name or len(name) > NAME_MAX_LENGTH:
        module.fail_json(msg="name must be 1 to {0} characters long.".format(NAME_MAX_LENGTH))


def desired_settings(params):
    """The settings the user wants, in the returned shape; an unset description is None."""
    return dict((k, params[k]) for k in ("name",) + SETTINGS)


def normalize(oac_id, config, etag):
    """An OriginAccessControlConfig in the returned shape."""
    return dict(
        id=oac_id,
        name=config["Name"],
        description=config.get("Description") or "",
        origin_type=config["OriginAccessControlOriginType"],
        signing_behavior=config["SigningBehavior"],
        signing_protocol=config["SigningProtocol"],
        etag=etag,
    )


def oac_config(settings):
    """The OriginAccessControlConfig request for ``settings``."""
    return dict(
        Name=settings["name"],
        Description=settings["description"] or "",
        SigningProtocol=settings["signing_protocol"],
        SigningBehavior=settings["signing_behavior"],
        OriginAccessControlOriginType=settings["origin_type"],
    )


def read_current(client, name):
    """The OAC called ``name`` with its ETag in the returned shape, or None."""
    summary = find_origin_access_control(client, name)
    if summary is None:
        return None
    config, etag = get_origin_access_control(client, summary["Id"])
    if config is None:
        return None  # Deleted between the list and the get.
    return normalize(summary["Id"], config, etag)


def create_origin_access_control(client, changes, desired):
    """The new OAC, or the one a concurrent run created first (CloudFront refuses a second OAC of one name)."""
    settings = dict(desired, description=desired["description"] or "")

    def write():
        try:
            answer = client.create_origin_access_control(aws_retry=True, OriginAccessControlConfig=oac_config(settings))
        except is_boto3_error_code("OriginAccessControlAlreadyExists"):
            found = read_current(client, desired["name"])
            if found is None:
                raise
            return dict(found, adopted=True)
        oac = answer["OriginAccessControl"]
        return normalize(oac["Id"], oac["OriginAccessControlConfig"], answer["ETag"])

    after = dict((k, settings[k]) for k in ("name",) + SETTINGS)
    created = changes.apply("origin_access_control", None, after, write)
    return created or dict(settings, id=None, etag=None)


def update_origin_access_control(client, changes, desired, current):
    plan = changed_facets(desired, current, SETTINGS)
    if not plan:
        return current
    before = dict((k, pair[0]) for k, pair in plan.items())
    after = dict((k, pair[1]) for k, pair in plan.items())
    settings = dict(current)
    settings.update(after)

    def write():
        answer = client.update_origin_access_control(
            aws_retry=True, Id=current["id"], IfMatch=current["etag"], OriginAccessControlConfig=oac_config(settings)
        )
        return normalize(current["id"], answer["OriginAccessControl"]["OriginAccessControlConfig"], answer["ETag"])

    updated = changes.apply("origin_access_control", before, after, write)
    return updated or dict(settings, etag=None)


def ensure_present(module, client):
    changes = ChangeSet(module)
    desired = desired_settings(module.params)
    current = read_current(client, desired["name"])
    if current is None:
        current = create_origin_access_control(client, changes, desired)
        if not current.pop("adopted", False):
            return changes.result(origin_access_control=current)
    oac = update_origin_access_control(client, changes, desired, current)
    return changes.result(origin_access_control=oac)


def ensure_absent(module, client):
    found = read_current(client, module.params["name"])
    return remove_found(module, "origin_access_control", found, delete_origin_access_control, client)


def delete_origin_access_control(module, changes, current, client):
    name = module.params["name"]

    def write():
        try:
            client.delete_origin_access_control(aws_retry=True, Id=current["id"], IfMatch=current["etag"])
        except is_boto3_error_code("OriginAccessControlInUse"):
            module.fail_json(
                msg=(
                    "Origin access control {0} ({1}) is still used by a CloudFront distribution. Remove it from the "
                    "distribution's origin, or delete the distribution, before deleting the origin access control."
                ).format(name, current["id"])
            )
        except is_boto3_error_code("NoSuchOriginAccessControl"):  # pylint: disable=duplicate-except
            pass  # Deleted meanwhile: the wanted state.

    before = dict((k, current[k]) for k in ("id", "name") + SETTINGS)
    changes.apply("origin_access_control", before, None, write)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "cloudfront")
    run_state(
        module,
        "CloudFront origin access control {0}".format(module.params["name"]),
        ensure_present,
        ensure_absent,
        client,
    )


if __name__ == "__main__":
    main()
