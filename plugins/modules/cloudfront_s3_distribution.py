#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_s3_distribution
short_description: Serve a private S3 bucket through a CloudFront distribution with Origin Access Control
version_added: 0.1.0
description:
  - Creates, updates and deletes a CloudFront distribution whose default cache behavior serves one
    private S3 bucket through an origin access control (OAC), with secure defaults
    (HTTPS redirect, TLS 1.2 minimum with a custom certificate, HTTP/2 and HTTP/3, IPv6, the managed
    C(CachingOptimized) cache policy and C(SecurityHeadersPolicy) response headers policy).
  - The distribution is identified by O(name), which the module keeps in the distribution's comment,
    or by O(distribution_id) when given.
  - A new distribution's C(CallerReference) is O(name), so two runs that create it at the same moment make
    one distribution; the run whose create CloudFront refuses (C(DistributionAlreadyExists)) adopts it.
  - The module compares the settings it manages with the distribution's configuration and calls
    C(UpdateDistribution) only when one differs, carrying the ETag it read so a concurrent change is
    never overwritten. Settings made by hand on the managed options (an alias, a detached OAC, another
    viewer protocol policy) are put back.
  - The managed origin is the one the default cache behavior targets. Other origins, other cache
    behaviors, geographic restrictions, function associations and origin timeouts are kept as they are.
  - Deleting (O(state=absent)) disables the distribution, waits until CloudFront has deployed that
    (usually several minutes), then deletes it.
  - The bucket policy must grant C(s3:GetObject) to the C(cloudfront.amazonaws.com) service principal
    with the condition C(AWS:SourceArn) equal to RV(distribution.arn).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the distribution, kept in its comment (at most 128 characters) and used to find it.
      - Required to create a distribution. With O(distribution_id) it renames the distribution's comment.
    type: str
  distribution_id:
    description:
      - Id of an existing distribution to manage instead of finding it by O(name).
    type: str
  state:
    description:
      - Whether the distribution should exist.
  origin_bucket:
    description:
      - Name of the S3 bucket served. The origin domain is C(<bucket>.s3.<region>.amazonaws.com).
      - Required with O(state=present).
    type: str
  origin_bucket_region:
    description:
      - Region of O(origin_bucket). Defaults to the region of the module's connection (O(region)).
    type: str
  origin_path:
    description:
      - Directory in the bucket that CloudFront requests content from, for example C(/site).
        An empty string serves the bucket's root.
    type: str
    default: ''
  origin_access_control_id:
    description:
      - Id of the origin access control that signs CloudFront's requests to the bucket
        (RV(storagekit.aws.cloudfront_origin_access_control#module:origin_access_control.id)).
      - Required with O(state=present).
    type: str
  aliases:
    description:
      - Alternate domain names (CNAMEs) of the distribution. They need O(acm_certificate_arn).
      - When not set, the aliases are left alone (and a new distribution has none).
        An empty list removes them all.
    type: list
    elements: str
  acm_certificate_arn:
    description:
      - ARN of an ACM certificate in C(us-east-1) for the aliases. It is served with SNI
        and O(minimum_protocol_version).
      - Without it the distribution uses the CloudFront default certificate (C(*.cloudfront.net)).
    type: str
  minimum_protocol_version:
    description:
      - Oldest TLS version and ciphers viewers may use, with O(acm_certificate_arn).
        The CloudFront default certificate always allows TLSv1.
    type: str
    choices: [TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025]
    default: TLSv1.2_2021
  default_root_object:
    description:
      - Object returned for a request to the root URL. An empty string returns none.
    type: str
    default: index.html
  viewer_protocol_policy:
    description:
      - How viewers may use HTTP and HTTPS.
    type: str
    choices: [allow-all, https-only, redirect-to-https]
    default: redirect-to-https
  http_version:
    description:
      - Highest HTTP version viewers may use.
    type: str
    choices: [http1.1, http2, http3, http2and3]
    default: http2and3
  ipv6:
    description:
      - Whether the distribution answers over IPv6 too.
    type: bool
    default: true
  price_class:
    description:
      - Which edge locations serve the distribution.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_100
  cache_policy_id:
    description:
      - Id of the cache policy of the default cache behavior. Defaults to the managed
        C(CachingOptimized) policy.
    type: str
    default: 658327ea-f89d-4fab-a63d-7e88639e58f6
  response_headers_policy_id:
    description:
      - Id of the response headers policy of the default cache behavior. Defaults to the managed
        C(SecurityHeadersPolicy) (HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy,
        X-XSS-Protection). An empty string removes the policy.
    type: str
    default: 67f7725c-6f97-4210-82d7-5512b31e9d03
  compress:
    description:
      - Whether CloudFront compresses objects for viewers that accept it.
    type: bool
    default: true
  spa:
    description:
      - Serve a single-page application, whose routes are not objects in the bucket. Responses
        403 and 404 from the bucket are replaced by C(/<default_root_object>) (C(/index.html)) with status 200.
      - With V(false) the distribution has no custom error responses.
    type: bool
    default: false
  spa_error_caching_min_ttl:
    description:
      - Seconds CloudFront caches the replaced 403 and 404 responses of O(spa=true).
    type: int
    default: 10
  logging:
    description:
      - Standard (access) logging to an S3 bucket.
      - When not set, logging is left alone (and a new distribution has none). An empty dict
        (no O(logging.bucket)) turns logging off.
    type: dict
    suboptions:
      bucket:
        description:
          - Name of the bucket the logs are written to (C(<name>.s3.amazonaws.com) is accepted too).
            The bucket needs ACLs enabled for the log delivery.
        type: str
      prefix:
        description:
          - Prefix of the log object names, for example C(cloudfront/website/).
        type: str
        default: ''
      include_cookies:
        description:
          - Whether cookies are logged.
        type: bool
        default: false
  web_acl_id:
    description:
      - ARN of a global (C(CLOUDFRONT) scope) AWS WAF web ACL to associate.
        An empty string removes the association. When not set, it is left alone.
    type: str
  enabled:
    description:
      - Whether the distribution serves requests.
    type: bool
    default: true
  wait:
    description:
      - Wait until CloudFront has deployed the distribution to its edge locations (status C(Deployed)),
        which usually takes several minutes, before returning.
      - With O(wait=false) the module returns as soon as CloudFront has accepted the change, so several
        slow resources can be created side by side and waited for together afterwards.
      - O(state=absent) always waits for the disabled distribution to be deployed, because CloudFront
        only deletes a deployed, disabled distribution.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - The module never sends a write in check mode; it predicts the result instead. In check mode a
    new distribution has no id, ARN or domain name yet.
"""

EXAMPLES = r"""
- name: Origin access control for the bucket
  storagekit.aws.cloudfront_origin_access_control:
    name: website
  register: oac

- name: Distribution with a custom domain and an SPA fallback
  storagekit.aws.cloudfront_s3_distribution:
    name: website
    origin_bucket: example-website
    origin_bucket_region: eu-west-1
    origin_access_control_id: "{{ oac.origin_access_control.id }}"
    aliases: [www.example.com]
    acm_certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
    spa: true
    logging:
      bucket: example-logs
      prefix: cloudfront/website/
    tags:
      team: web
  register: site

- name: Let only this distribution read the bucket
  amazon.aws.s3_bucket:
    name: example-website
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: cloudfront.amazonaws.com}
          Action: s3:GetObject
          Resource: arn:aws:s3:::example-website/*
          Condition:
            StringEquals:
              AWS:SourceArn: "{{ site.distribution.arn }}"

- name: Alias record for the custom domain
  amazon.aws.route53:
    zone: example.com
    record: www.example.com
    type: A
    value: "{{ site.distribution.domain_name }}"
    alias: true
    alias_hosted_zone_id: "{{ site.distribution.hosted_zone_id }}"

- name: Disable, wait for the deployment and delete
  storagekit.aws.cloudfront_s3_distribution:
    name: website
    state: absent
"""

RETURN = r"""
distribution:
  description:
    - The distribution after the run (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the distribution; not known in check mode before creation.
      type: str
      sample: E2QWRUHAPOMQZL
    arn:
      description: ARN of the distribution, the C(AWS:SourceArn) of the bucket policy.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
    domain_name:
      description: Domain name of the distribution, the target of alias records.
      type: str
      sample: d111111abcdef8.cloudfront.net
    hosted_zone_id:
      description: Route 53 hosted zone id of all CloudFront domain names, for alias records.
      type: str
      sample: Z2FDTNDATAQYW2
    status:
      description: C(InProgress) while a change rolls out, C(Deployed) afterwards.
      type: str
      sample: Deployed
    etag:
      description: ETag of the distribution's current configuration.
      type: str
      sample: E2QWRUHEXAMPLE
    name:
      description: The name kept in the distribution's comment.
      type: str
      sample: website
    enabled:
      description: Whether the distribution serves requests.
      type: bool
    origin_bucket:
      description: Bucket of the managed origin, when its domain is an S3 REST endpoint.
      type: str
      sample: example-website
    origin_bucket_region:
      description: Region of the bucket, when the origin domain names it.
      type: str
      sample: eu-west-1
    origin_domain_name:
      description: Domain name of the managed origin.
      type: str
      sample: example-website.s3.eu-west-1.amazonaws.com
    origin_path:
      description: Origin path.
      type: str
      sample: ''
    origin_access_control_id:
      description: Id of the origin access control of the origin; empty when it has none.
      type: str
    origin_access_identity:
      description: Legacy origin access identity of the origin; empty when unused, absent for a non-S3 origin.
      type: str
    aliases:
      description: Alternate domain names, sorted.
      type: list
      elements: str
    cloudfront_default_certificate:
      description: Whether the CloudFront default certificate is used.
      type: bool
    acm_certificate_arn:
      description: ACM certificate ARN; empty with the default certificate.
      type: str
    ssl_support_method:
      description: C(sni-only) with a custom certificate; empty with the default certificate.
      type: str
    minimum_protocol_version:
      description: Minimum TLS protocol version with a custom certificate; empty with the default certificate.
      type: str
    default_root_object:
      description: Default root object.
      type: str
      sample: index.html
    viewer_protocol_policy:
      description: Viewer protocol policy of the default cache behavior.
      type: str
      sample: redirect-to-https
    http_version:
      description: Highest HTTP version.
      type: str
      sample: http2and3
    ipv6:
      description: Whether IPv6 is enabled.
      type: bool
    price_class:
      description: Price class.
      type: str
      sample: PriceClass_100
    cache_policy_id:
      description: Cache policy of the default cache behavior.
      type: str
    response_headers_policy_id:
      description: Response headers policy of the default cache behavior; empty when none.
      type: str
    compress:
      description: Whether objects are compressed.
      type: bool
    spa:
      description: Whether the custom error responses are exactly those of O(spa=true).
      type: bool
    custom_error_responses:
      description: Custom error responses, sorted by error code.
      type: list
      elements: dict
      contains:
        error_code:
          description: HTTP status code from the origin.
          type: int
          sample: 404
        response_page_path:
          description: Object returned instead.
          type: str
          sample: /index.html
        response_code:
          description: HTTP status code returned to the viewer.
          type: str
          sample: '200'
        error_caching_min_ttl:
          description: Seconds the response is cached.
          type: int
          sample: 10
    logging:
      description: Standard logging; C(bucket) is the bucket name.
      type: dict
      sample: {enabled: true, bucket: example-logs, prefix: cloudfront/website/, include_cookies: false}
    web_acl_id:
      description: ARN of the associated web ACL; empty when none.
      type: str
    tags:
      description: Tags of the distribution, when managed with O(tags).
      type: dict
"""


from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import CACHING_OPTIMIZED
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import SECURITY_HEADERS_POLICY
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import validate_options
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_states import ensure_absent
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_states import ensure_present
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client


ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    distribution_id=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    origin_bucket=dict(type="str"),
    origin_bucket_region=dict(type="str"),
    origin_path=dict(type="str", default=""),
    origin_access_control_id=dict(type="str"),
    aliases=dict(type="list", elements="str"),
    acm_certificate_arn=dict(type="str"),
    minimum_protocol_version=dict(
        type="str",
        choices=["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
        default="TLSv1.2_2021",
    ),
    default_root_object=dict(type="str", default="index.html"),
    viewer_protocol_policy=dict(
        type="str", choices=["allow-all", "https-only", "redirect-to-https"], default="redirect-to-https"
    ),
    http_version=dict(type="str", choices=["http1.1", "http2", "http3", "http2and3"], default="http2and3"),
    ipv6=dict(type="bool", default=True),
    price_class=dict(type="str", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"], default="PriceClass_100"),
    cache_policy_id=dict(type="str", default=CACHING_OPTIMIZED),
    response_headers_policy_id=dict(type="str", default=SECURITY_HEADERS_POLICY),
    compress=dict(type="bool", default=True),
    spa=dict(type="bool", default=False),
    spa_error_caching_min_ttl=dict(type="int", default=10),
    logging=dict(
        type="dict",
        options=dict(
            bucket=dict(type="str"),
            prefix=dict(type="str", default=""),
            include_cookies=dict(type="bool", default=False),
        ),
    ),
    web_acl_id=dict(type="str"),
    enabled=dict(type="bool", default=True),
    **TAG_OPTIONS,
    **wait_options(False),
)
REQUIRED_ONE_OF = [("name", "distribution_id")]
REQUIRED_IF = [("state", "present", ("origin_bucket", "origin_access_control_id"))]


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        required_one_of=REQUIRED_ONE_OF,
        required_if=REQUIRED_IF,
        supports_check_mode=True,
    )
    validate_options(module)
    client = aws_client(module, "cloudfront")
    what = module.params["distribution_id"] or module.params["name"]
    run_state(module, "CloudFront distribution {0}".format(what), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
