"""EC2 VPC endpoints: what moto 5.2.5 gets wrong, following the botocore service model and the EC2 API reference.

- ModifyVpcEndpoint with AddRouteTableIds / RemoveRouteTableIds changes the endpoint's list only; AWS also adds
  the route to the service's prefix list (target the endpoint) to an added route table and removes it from a
  removed one. The routes follow here.
- ModifyVpcEndpoint ignores ResetPolicy (AWS puts back the default policy, full access) and PrivateDnsEnabled.
- A gateway endpoint reports PrivateDnsEnabled true; AWS reports false (only interface endpoints have private DNS).
"""

import json
from urllib.parse import parse_qsl

from .base import ServiceExtension

# The policy AWS gives an endpoint created without one, and back on ResetPolicy.
DEFAULT_POLICY = json.dumps({"Version": "2008-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})


def moto_backend(exchange):
    from moto.ec2.models import ec2_backends

    return ec2_backends[exchange.account_id][exchange.call.region]


def request_params(exchange):
    """The call's EC2-protocol parameters by member name: scalars, and lists (``Name.N``) in order.

    The EC2 protocol sends a list under its member's locationName (``AddRouteTableId.1`` for AddRouteTableIds).
    """
    from ..operations import service_model

    shape = service_model("ec2").operation_model(exchange.operation).input_shape
    members = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("queryName") or member.serialization.get("name") or name
        members[wire[0].upper() + wire[1:]] = name
    scalars, lists = {}, {}
    for key, value in parse_qsl(exchange.body.decode("utf-8", "replace"), keep_blank_values=True):
        name, _sep, index = key.rpartition(".")
        if name and index.isdigit():
            lists.setdefault(members.get(name, name), []).append((int(index), value))
        else:
            scalars[members.get(key, key)] = value
    scalars.update((name, [v for _i, v in sorted(values)]) for name, values in lists.items())
    return scalars


class EC2Extension(ServiceExtension):
    service = "ec2"

    def rewrite(self, exchange):
        if exchange.reply is None or exchange.reply.status != 200:
            return
        if exchange.operation == "ModifyVpcEndpoint":
            self._modified(exchange)
        elif exchange.operation == "CreateVpcEndpoint":
            self._created(exchange)

    @staticmethod
    def _created(exchange):
        params = request_params(exchange)
        if params.get("VpcEndpointType", "Gateway").lower() != "gateway":
            return
        backend = moto_backend(exchange)
        for endpoint in backend.vpc_end_points.values():
            if endpoint.vpc_endpoint_type and endpoint.vpc_endpoint_type.lower() == "gateway":
                endpoint.private_dns_enabled = False
        exchange.reply.set_body(exchange.reply.body.replace(
            b"<privateDnsEnabled>true</privateDnsEnabled>", b"<privateDnsEnabled>false</privateDnsEnabled>"))

    @staticmethod
    def _modified(exchange):
        params = request_params(exchange)
        backend = moto_backend(exchange)
        endpoint = backend.vpc_end_points.get(params.get("VpcEndpointId"))
        if endpoint is None:
            return
        if params.get("ResetPolicy", "").lower() == "true":
            endpoint.policy_document = DEFAULT_POLICY
        if "PrivateDnsEnabled" in params and endpoint.vpc_endpoint_type.lower() == "interface":
            endpoint.private_dns_enabled = params["PrivateDnsEnabled"].lower() == "true"
        prefix_list = endpoint.destination_prefix_list_id
        if not prefix_list:
            return
        from moto.ec2.utils import generate_route_id

        for table_id in params.get("AddRouteTableIds", []):
            table = backend.route_tables.get(table_id)
            if table is not None and generate_route_id(table_id, prefix_list) not in table._routes:
                backend.create_route(table_id, None, gateway_id=endpoint.id, destination_prefix_list_id=prefix_list)
        for table_id in params.get("RemoveRouteTableIds", []):
            table = backend.route_tables.get(table_id)
            if table is not None and generate_route_id(table_id, prefix_list) in table._routes:
                backend.delete_route(table_id, None, destination_prefix_list_id=prefix_list)
