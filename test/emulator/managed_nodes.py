"""Which EC2 instances SSM Agent would have registered: the agent's rules, applied to the emulator's state.

This is the test double's own reading of the documented behaviour, independent of ssm-perms' code:

1. The instance is running and has SSM Agent (tag ``ssm-agent-version``; default DEFAULT_AGENT;
   the value ``none`` means no agent).
2. IMDS is enabled (HttpEndpoint): both credential routes start there.
3. The agent reaches Systems Manager: the subnet's route table (its own, else the VPC's main one) sends
   0.0.0.0/0 to an internet gateway (and the instance has a public IP) or to a NAT gateway, and a
   security group lets HTTPS out; or the VPC has interface endpoints with private DNS for ssm and
   ssmmessages whose security groups let HTTPS in from the instance, and the instance's groups let it
   out (ec2messages carries commands for agents older than 3.3.40.0; it does not block registration).
4. Credentials, in the agent's order: the instance profile if its role trusts ec2.amazonaws.com and
   allows ssm:UpdateInstanceInformation (no explicit Deny; its permissions boundary, if any, allows it too); otherwise, on AccessDenied, Default Host
   Management Configuration: the region's setting names a role (path/name) that exists, trusts
   ssm.amazonaws.com and allows ssm:UpdateInstanceInformation, and the agent is 3.2.582.0 or later.

The state is read through the emulator's own API (boto3 against this server), so it sees exactly
what any client sees.
"""
import datetime
import fnmatch
import ipaddress
import json
import threading
import urllib.parse

import boto3

DEFAULT_AGENT = "3.3.1611.0"
DHMC_MIN = (3, 2, 582, 0)
_endpoint = {"url": "http://127.0.0.1:5000"}


def configure(argv):
    host, port = "127.0.0.1", "5000"
    for flag, value in zip(argv, argv[1:]):
        if flag in ("-H", "--host"):
            host = value
        if flag in ("-p", "--port"):
            port = value
    _endpoint["url"] = f"http://{host}:{port}"


_clients = {}
_clients_lock = threading.Lock()


def _client(service, account, region):
    # The account is selected by header in moto; the default account needs none. One client per service,
    # account and region, made under a lock (boto3's default session is not thread-safe; its clients
    # are): making one costs more than the calls a batch of DescribeInstanceInformation makes.
    key = (service, account, region, _endpoint["url"])
    with _clients_lock:
        if key not in _clients:
            _clients[key] = boto3.client(
                service,
                region_name=region,
                endpoint_url=_endpoint["url"],
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        return _clients[key]


def _version(text):
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (0,)


def _pages(call, key, **kwargs):
    out, token = [], None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        out.extend(page.get(key, []))
        token = page.get("NextToken")
        if not token:
            return out


def _statements(doc):
    if isinstance(doc, str):
        doc = json.loads(urllib.parse.unquote(doc))
    st = doc.get("Statement", [])
    return st if isinstance(st, list) else [st]


def _as_list(v):
    return v if isinstance(v, list) else ([v] if v is not None else [])


def _matches(patterns, action):
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in _as_list(patterns))


def _allows(docs, action):
    stmts = [s for d in docs for s in _statements(d)]
    covers = lambda s: _matches(s["Action"], action) if "Action" in s else ("NotAction" in s and not _matches(s["NotAction"], action))
    if any(s.get("Effect") == "Deny" and covers(s) for s in stmts):
        return False
    return any(s.get("Effect") == "Allow" and covers(s) and ("*" in _as_list(s.get("Resource")) or "NotResource" in s) for s in stmts)


def _role_docs(iam, name):
    docs = []
    for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]
        docs.append(iam.get_policy_version(PolicyArn=p["PolicyArn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"])
    for n in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        docs.append(iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"])
    return docs


def _trusts(role, service):
    for s in _statements(role["AssumeRolePolicyDocument"]):
        services = _as_list((s.get("Principal") or {}).get("Service")) if isinstance(s.get("Principal"), dict) else []
        if s.get("Effect") == "Allow" and service in services and _matches(s.get("Action"), "sts:AssumeRole"):
            return True
    return False


def _https(rule):
    proto = rule.get("IpProtocol")
    return proto == "-1" or (proto in ("tcp", "6") and rule.get("FromPort", 0) <= 443 <= rule.get("ToPort", 65535))


def _ip_in(cidr, ip):
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


def _egress(groups, ip=None, group_ids=()):
    for g in groups:
        for r in g.get("IpPermissionsEgress", []):
            if not _https(r):
                continue
            cidrs = [x["CidrIp"] for x in r.get("IpRanges", [])]
            if "0.0.0.0/0" in cidrs or (ip and any(_ip_in(c, ip) for c in cidrs)):
                return True
            if any(p.get("GroupId") in group_ids for p in r.get("UserIdGroupPairs", [])):
                return True
    return False


def _egress_to(groups, ips, group_ids):
    """HTTPS out to every one of `ips` (an endpoint's interfaces), or to one of its groups."""
    rules = [r for g in groups for r in g.get("IpPermissionsEgress", []) if _https(r)]
    if any("0.0.0.0/0" in [x["CidrIp"] for x in r.get("IpRanges", [])] for r in rules):
        return True
    if any(p.get("GroupId") in group_ids for r in rules for p in r.get("UserIdGroupPairs", [])):
        return True
    return bool(ips) and all(any(_ip_in(x["CidrIp"], ip) for r in rules for x in r.get("IpRanges", [])) for ip in ips)


def _ingress(groups, ip, group_ids):
    for g in groups:
        for r in g.get("IpPermissions", []):
            if not _https(r):
                continue
            if any(p.get("GroupId") in group_ids for p in r.get("UserIdGroupPairs", [])):
                return True
            if ip and any(_ip_in(x["CidrIp"], ip) for x in r.get("IpRanges", [])):
                return True
    return False


def _group_ids(inst):
    # Every interface's groups: moto leaves SecurityGroups empty for instances launched with interfaces.
    ids = [g["GroupId"] for g in inst.get("SecurityGroups", [])]
    ids += [g["GroupId"] for n in inst.get("NetworkInterfaces", []) for g in n.get("Groups", [])]
    return list(dict.fromkeys(ids))


def _reaches_ssm(inst, agent, region, tables, endpoints, groups, eni_ips):
    own = [groups[g] for g in _group_ids(inst) if g in groups]
    subnet = inst.get("SubnetId")
    table = next((t for t in tables if any(a.get("SubnetId") == subnet for a in t.get("Associations", []))), None)
    table = table or next((t for t in tables if any(a.get("Main") for a in t.get("Associations", []))), None)
    default = next((r for r in (table or {}).get("Routes", []) if r.get("DestinationCidrBlock") == "0.0.0.0/0" and r.get("State") != "blackhole"), None)
    if default:
        via_igw = (default.get("GatewayId") or "").startswith("igw-") and inst.get("PublicIpAddress")
        if (via_igw or default.get("NatGatewayId")) and _egress(own):
            return True
    # Registration (UpdateInstanceInformation pings) goes to ssm, the control channel to ssmmessages;
    # ec2messages carries commands for agents older than 3.3.40.0 only, so it never blocks registration.
    needed = ["ssm", "ssmmessages"]
    ip, own_ids = inst.get("PrivateIpAddress"), _group_ids(inst)
    for service in needed:
        name = f"com.amazonaws.{region}.{service}"
        ok = False
        for e in endpoints:
            if e.get("ServiceName") != name or not e.get("PrivateDnsEnabled") or e.get("VpcId") != inst.get("VpcId"):
                continue
            ep_ids = [g["GroupId"] for g in e.get("Groups", [])]
            ep_groups = [groups[g] for g in ep_ids if g in groups]
            ep_ips = [a for n in e.get("NetworkInterfaceIds", []) for a in eni_ips.get(n, [])]
            if _ingress(ep_groups, ip, own_ids) and _egress_to(own, ep_ips, ep_ids):
                ok = True
        if not ok:
            return False
    return True


def registered(account, region, dhmc_value, ids=None):
    """The registered nodes of the region; with `ids`, of those instances only (DescribeInstanceInformation's
    InstanceIds filter, at most 100 values): the same rules, read for just the instances asked about, so
    a caller asking in batches does not make the double read the whole region once per batch."""
    ec2, iam = _client("ec2", account, region), _client("iam", account, region)
    if ids is not None and not ids:
        return []
    only = [{"Name": "instance-id", "Values": sorted(ids)}] if ids is not None else []
    reservations = _pages(ec2.describe_instances, "Reservations", Filters=[{"Name": "instance-state-name", "Values": ["running"]}, *only])
    instances = [i for r in reservations for i in r["Instances"]]
    if not instances:
        return []
    assoc = {
        a["InstanceId"]: a["IamInstanceProfile"]["Arn"]
        for a in _pages(ec2.describe_iam_instance_profile_associations, "IamInstanceProfileAssociations", Filters=only)
        if a.get("State") in ("associated", "associating")
    }
    vpc_ids = sorted({i["VpcId"] for i in instances if i.get("VpcId")})
    vpc_filter = [{"Name": "vpc-id", "Values": vpc_ids}] if vpc_ids else []
    tables = _pages(ec2.describe_route_tables, "RouteTables", Filters=vpc_filter) if vpc_ids else []
    endpoints = _pages(ec2.describe_vpc_endpoints, "VpcEndpoints", Filters=vpc_filter) if vpc_ids else []
    groups = {g["GroupId"]: g for g in (_pages(ec2.describe_security_groups, "SecurityGroups", Filters=vpc_filter) if vpc_ids else [])}
    # Only the endpoints' interfaces matter (where HTTPS to an endpoint goes), not every instance's.
    endpoint_enis = sorted({n for e in endpoints for n in e.get("NetworkInterfaceIds", [])})
    enis = _pages(ec2.describe_network_interfaces, "NetworkInterfaces", NetworkInterfaceIds=endpoint_enis) if endpoint_enis else []
    eni_ips = {n["NetworkInterfaceId"]: [a["PrivateIpAddress"] for a in n.get("PrivateIpAddresses", [])] for n in enis}

    profile_allows, role_cache = {}, {}

    def role_allows(name):
        if name not in role_cache:
            try:
                allowed = _allows(_role_docs(iam, name), "ssm:UpdateInstanceInformation")
                # A permissions boundary caps the role: it must allow the call too.
                boundary = (iam.get_role(RoleName=name)["Role"].get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
                if allowed and boundary:
                    version = iam.get_policy(PolicyArn=boundary)["Policy"]["DefaultVersionId"]
                    allowed = _allows([iam.get_policy_version(PolicyArn=boundary, VersionId=version)["PolicyVersion"]["Document"]], "ssm:UpdateInstanceInformation")
                role_cache[name] = allowed
            except iam.exceptions.NoSuchEntityException:
                role_cache[name] = False
        return role_cache[name]

    def profile_ok(arn):
        if arn not in profile_allows:
            try:
                roles = iam.get_instance_profile(InstanceProfileName=arn.split("/")[-1])["InstanceProfile"]["Roles"]
            except iam.exceptions.NoSuchEntityException:
                roles = []
            # EC2 hands out the role's credentials only if the role trusts ec2.amazonaws.com.
            profile_allows[arn] = bool(roles) and _trusts(roles[0], "ec2.amazonaws.com") and role_allows(roles[0]["RoleName"])
        return profile_allows[arn]

    dhmc_ok = False
    if dhmc_value:
        path, _, name = dhmc_value.rpartition("/")
        try:
            role = iam.get_role(RoleName=name)["Role"]
            dhmc_ok = role["Path"] == (f"/{path}/" if path else "/") and _trusts(role, "ssm.amazonaws.com") and role_allows(name)
        except iam.exceptions.NoSuchEntityException:
            dhmc_ok = False

    nodes, now = [], datetime.datetime.now(datetime.timezone.utc)
    for inst in instances:
        tags = {t["Key"]: t["Value"] for t in inst.get("Tags", [])}
        agent = tags.get("ssm-agent-version", DEFAULT_AGENT)
        if agent == "none" or (inst.get("MetadataOptions") or {}).get("HttpEndpoint", "enabled") != "enabled":
            continue
        if not _reaches_ssm(inst, agent, region, tables, endpoints, groups, eni_ips):
            continue
        profile = assoc.get(inst["InstanceId"])
        if profile and profile_ok(profile):
            via = profile.split("/")[-1]
        elif dhmc_ok and _version(agent) >= DHMC_MIN:
            via = dhmc_value
        else:
            continue
        nodes.append(
            {
                "InstanceId": inst["InstanceId"],
                "PingStatus": "Online",
                "LastPingDateTime": now,
                "AgentVersion": agent,
                "IsLatestVersion": False,
                "PlatformType": "Linux",
                "PlatformName": "Amazon Linux",
                "PlatformVersion": "2023",
                "ResourceType": "EC2Instance",
                "IPAddress": inst.get("PrivateIpAddress"),
                "ComputerName": inst.get("PrivateDnsName") or inst["InstanceId"],
                "SourceId": inst["InstanceId"],
                "SourceType": "AWS::EC2::Instance",
                "IamRole": via,
            }
        )
    return nodes
