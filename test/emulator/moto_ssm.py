"""moto server plus a test double for the SSM operations moto 5.2.1 lacks.

Run: python3 moto_ssm.py -H 127.0.0.1 -p PORT   (arguments are moto.server's own)

moto has no GetServiceSetting / UpdateServiceSetting / ResetServiceSetting. This launcher attaches
them to moto's SSM response class (moto dispatches the X-Amz-Target action to the snake_case method of
that name) and keeps their state in moto's per-(account, region) SSM backend, so /moto-api/reset wipes
it like everything else. It follows the real service where the facts are known:

- the setting id may be the short id or the ARN; an ARN of another region or account is refused with
  ValidationException "Invalid settingId" (as the AWS CLI reports it);
- an unknown setting id is ServiceSettingNotFound;
- DHMC off reads Status "Default" and SettingValue "$None"; UpdateServiceSetting makes it
  "Customized" and records the caller as LastModifiedUser; ResetServiceSetting restores the default;
- the DHMC value must name an existing IAM role (path without the leading slash, then the name).

DescribeInstanceInformation lists the EC2 instances that SSM Agent would have registered, decided
by the agent's own rules from the emulator's EC2 and IAM state (see managed_nodes.py).
CreateAssociation / ListAssociations keep State Manager associations (name, targets, parameters).

Test knobs (environment of this process):
  SSM_DOUBLE_ROLE_PROPAGATION_SECONDS=N  refuse a role for N seconds after its creation, as SSM does
                                         while IAM propagates a new role (default 0).
  EC2_DOUBLE_PROFILE_PROPAGATION_SECONDS=N
                                         EC2 refuses an instance profile for N seconds after its
                                         creation with "InvalidParameterValue ... Invalid IAM Instance
                                         Profile name", as it does while IAM propagates (default 0).
                                         moto itself answers an unknown profile with IAM's NoSuchEntity;
                                         real EC2 gives this same InvalidParameterValue.

  EC2_DOUBLE_ASSOCIATING_SECONDS=N      a new instance profile association reads "associating" for N
                                         seconds before "associated" (default 0), as EC2 shows it.

These clocks suit a person trying the tool; tests use the TestDoubleHold control operation instead (an
X-Amz-Target of the SSM endpoint, like TestDoublePutServiceSetting), which holds a state until the test
itself releases it, so no test depends on how fast the machine is:
  {"Hold": "IamPropagation", "Active": true}   roles and instance profiles created from now on are refused
                                               (SSM: the role "does not exist"; EC2: "Invalid IAM Instance
                                               Profile name"), as while IAM propagates them;
  {"Hold": "IamPropagation", "Active": false}  IAM has caught up: they are accepted from now on;
  {"Hold": "Associating", "Active": true|false} the same for new associations reading "associating"
                                               (per region: the region of the request's signature).
Each answers {"Refused": N}: how many requests the IAM hold has refused since the last reset ({"Hold":
"IamPropagation"} without "Active" only reads it).

Interface VPC endpoints' network interfaces get addresses inside their subnets, as in EC2 (moto
picks any 10.x address).

EC2 filters: more than 200 values in one call (all filters together) are refused with
FilterLimitExceeded, as EC2 does (gjbae1212/gossm#47, convox/rack#2205); moto itself has no limit.
"""
import datetime
import json
import os
import sys
import uuid

import moto
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.iam.models import iam_backends
from moto.ssm.exceptions import SSMException
from moto.ssm.models import ssm_backends
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.utilities.utils import get_partition

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import managed_nodes  # noqa: E402  (beside this file)

DHMC_ID = "/ssm/managed-instance/default-ec2-instance-management-role"
# Settings this double knows, with their AWS default values.
DEFAULTS = {
    DHMC_ID: "$None",
}
OPS = (
    "get_service_setting",
    "update_service_setting",
    "reset_service_setting",
    "describe_instance_information",
    "create_association",
    "list_associations",
)

if any(hasattr(SimpleSystemManagerResponse, op) for op in OPS):
    sys.exit(f"moto {moto.__version__} implements the service-setting operations itself; retire this double")
if moto.__version__ != "5.2.1":
    print(f"warning: moto_ssm.py was written against moto 5.2.1, this is {moto.__version__}", file=sys.stderr)


class ServiceSettingNotFound(SSMException):
    def __init__(self, setting_id):
        super().__init__("ServiceSettingNotFound", f"The service setting {setting_id} hasn't been provisioned.")


class ValidationException(SSMException):
    def __init__(self, message):
        super().__init__("ValidationException", message)


def _settings(response):
    backend = ssm_backends[response.current_account][response.region]
    if not hasattr(backend, "_service_settings"):
        backend._service_settings = {}
    return backend._service_settings


def _short_id(response, setting_id):
    if not setting_id:
        raise ValidationException("1 validation error detected: Value null at 'settingId' failed to satisfy constraint: Member must not be null")
    if setting_id.startswith("arn:"):
        parts = setting_id.split(":", 5)
        if (
            len(parts) != 6
            or parts[2] != "ssm"
            or parts[3] != response.region
            or parts[4] != response.current_account
            or not parts[5].startswith("servicesetting/")
        ):
            raise ValidationException("Invalid settingId")
        setting_id = parts[5][len("servicesetting"):]
    if setting_id not in DEFAULTS:
        raise ServiceSettingNotFound(setting_id)
    return setting_id


def _arn(response, short_id):
    partition = get_partition(response.region)
    return f"arn:{partition}:ssm:{response.region}:{response.current_account}:servicesetting{short_id}"


def _view(response, short_id):
    stored = _settings(response).get(short_id)
    if stored is None:
        stored = {
            "SettingValue": DEFAULTS[short_id],
            "Status": "Default",
            "LastModifiedDate": datetime.datetime(2023, 2, 17, tzinfo=datetime.timezone.utc),
            "LastModifiedUser": "System",
        }
    return {"SettingId": short_id, "ARN": _arn(response, short_id), **stored}


def _check_dhmc_role(response, value):
    if len(value) > 4096:
        raise ValidationException("SettingValue must be at most 4096 characters")
    path, _, name = value.rpartition("/")
    path = f"/{path}/" if path else "/"
    iam = iam_backends[response.current_account][get_partition(response.region)]
    role = next((r for r in iam.get_roles() if r.name.lower() == name.lower()), None)
    if role is None or role.path != path:
        raise ValidationException(f"The role {value} does not exist in account {response.current_account}.")
    delay = float(os.environ.get("SSM_DOUBLE_ROLE_PROPAGATION_SECONDS", "0"))
    created = role.create_date if role.create_date.tzinfo else role.create_date.replace(tzinfo=datetime.timezone.utc)
    young = (datetime.datetime.now(datetime.timezone.utc) - created).total_seconds() < delay
    if young or _propagating(iam, "roles", role.name):
        raise ValidationException(f"The role {value} does not exist in account {response.current_account}.")


def _propagation(iam):
    """The IAM propagation hold of an IAM backend (wiped with it by /moto-api/reset)."""
    state = getattr(iam, "_test_double_propagation", None)
    if state is None:
        state = iam._test_double_propagation = {"active": False, "roles": set(), "profiles": set(), "refused": 0}
    return state


def _propagating(iam, kind, name):
    """Whether a role or instance profile is still held back; counts the refusal when it is."""
    state = _propagation(iam)
    if name.lower() not in state[kind]:
        return False
    state["refused"] += 1
    return True


def _held_on_create(kind, original):
    def method(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        state = _propagation(self)
        if state["active"]:
            state[kind].add(made.name.lower())
        return made

    method.__name__ = original.__name__
    return method


from moto.iam.models import IAMBackend  # noqa: E402

IAMBackend.create_role = _held_on_create("roles", IAMBackend.create_role)
IAMBackend.create_instance_profile = _held_on_create("profiles", IAMBackend.create_instance_profile)


def test_double_hold(self):
    """Test knob, not an AWS operation: holds IAM propagation or "associating" until released (see above)."""
    what, active = self._get_param("Hold"), self._get_param("Active")
    iam = iam_backends[self.current_account][get_partition(self.region)]
    if what not in ("IamPropagation", "Associating"):
        raise ValidationException(f"unknown Hold {what!r}: IamPropagation or Associating")
    if active is None:
        pass  # a read: {"Hold": ...} alone changes nothing
    elif what == "IamPropagation":
        state = _propagation(iam)
        state["active"] = bool(active)
        if not active:
            state["roles"].clear()
            state["profiles"].clear()
    elif what == "Associating":
        ec2 = ec2_backends[self.current_account][self.region]
        ec2._test_double_hold_associating = bool(active)
        if not active:
            for association in ec2.iam_instance_profile_associations.values():
                association._held = False
    return json.dumps({"Refused": _propagation(iam)["refused"]})


def _caller_arn(response):
    return f"arn:{get_partition(response.region)}:sts::{response.current_account}:user/moto"


def get_service_setting(self):
    short_id = _short_id(self, self._get_param("SettingId"))
    return ActionResult({"ServiceSetting": _view(self, short_id)})


def update_service_setting(self):
    short_id = _short_id(self, self._get_param("SettingId"))
    value = self._get_param("SettingValue")
    if not value:
        raise ValidationException("SettingValue must not be empty")
    if short_id == DHMC_ID:
        _check_dhmc_role(self, value)
    _settings(self)[short_id] = {
        "SettingValue": value,
        "Status": "Customized",
        "LastModifiedDate": datetime.datetime.now(datetime.timezone.utc),
        "LastModifiedUser": _caller_arn(self),
    }
    return ActionResult({})


def reset_service_setting(self):
    short_id = _short_id(self, self._get_param("SettingId"))
    _settings(self).pop(short_id, None)
    return ActionResult({"ServiceSetting": _view(self, short_id)})


def test_double_put_service_setting(self):
    """Test knob, not an AWS operation: store a setting exactly as given (value and Status), to play back
    states AWS is known to show - e.g. a role value with Status "Default", as in AWS's own sample output."""
    short_id = _short_id(self, self._get_param("SettingId"))
    _settings(self)[short_id] = {
        "SettingValue": self._get_param("SettingValue"),
        "Status": self._get_param("Status"),
        "LastModifiedDate": datetime.datetime.now(datetime.timezone.utc),
        "LastModifiedUser": _caller_arn(self),
    }
    # Not in the service model, so moto cannot serialize an ActionResult for it: answer the JSON itself.
    return "{}"


def dhmc_setting(account, region):
    """The DHMC value in a region, or None when off (used by the managed-node rules)."""
    backend = ssm_backends[account][region]
    stored = getattr(backend, "_service_settings", {}).get(DHMC_ID)
    value = stored["SettingValue"] if stored else None
    return None if value in (None, "", "$None") else value


def describe_instance_information(self):
    max_results = self._get_param("MaxResults") or 10
    if not 5 <= int(max_results) <= 50:
        raise ValidationException("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50")
    ids = None
    for f in self._get_param("Filters") or []:
        if f.get("Key") == "InstanceIds":
            ids = set(f.get("Values") or [])
        elif f.get("Key") not in ("ResourceType", "PingStatus", "PlatformTypes", "AgentVersion"):
            raise SSMException("InvalidFilterKey", f"The filter key {f.get('Key')} is not supported by this test double")
    token = self._get_param("NextToken")
    snapshots = getattr(ssm_backends[self.current_account][self.region], "_node_snapshots", None)
    if snapshots is None:
        snapshots = ssm_backends[self.current_account][self.region]._node_snapshots = {}
    if token:
        if token not in snapshots:
            raise SSMException("InvalidNextToken", "The specified token is not valid.")
        nodes, start = snapshots.pop(token)
    else:
        nodes, start = managed_nodes.registered(self.current_account, self.region, dhmc_setting(self.current_account, self.region), ids), 0
        if ids is not None:
            nodes = [n for n in nodes if n["InstanceId"] in ids]
    page = nodes[start:start + int(max_results)]
    result = {"InstanceInformationList": page}
    if start + int(max_results) < len(nodes):
        next_token = str(uuid.uuid4())
        snapshots[next_token] = (nodes, start + int(max_results))
        result["NextToken"] = next_token
    return ActionResult(result)


def _associations(response):
    backend = ssm_backends[response.current_account][response.region]
    if not hasattr(backend, "_state_manager_associations"):
        backend._state_manager_associations = []
    return backend._state_manager_associations


def create_association(self):
    name = self._get_param("Name")
    if not name:
        raise ValidationException("Name is required")
    association = {
        "AssociationId": str(uuid.uuid4()),
        "Name": name,
        "AssociationName": self._get_param("AssociationName"),
        "Targets": self._get_param("Targets") or [],
        "Parameters": self._get_param("Parameters") or {},
        "ScheduleExpression": self._get_param("ScheduleExpression"),
        "AssociationVersion": "1",
        "Date": datetime.datetime.now(datetime.timezone.utc),
    }
    _associations(self).append(association)
    return ActionResult({"AssociationDescription": {k: v for k, v in association.items() if v is not None}})


def list_associations(self):
    found = list(_associations(self))
    for f in self._get_param("AssociationFilterList") or []:
        key, value = f.get("key"), f.get("value")
        if key == "Name":
            found = [a for a in found if a["Name"] == value]
        elif key == "AssociationName":
            found = [a for a in found if a.get("AssociationName") == value]
    listed = [{k: a[k] for k in ("AssociationId", "Name", "AssociationName", "Targets", "ScheduleExpression", "AssociationVersion") if a.get(k) is not None} for a in found]
    return ActionResult({"Associations": listed})


for _op in (
    get_service_setting,
    update_service_setting,
    reset_service_setting,
    describe_instance_information,
    create_association,
    list_associations,
    test_double_put_service_setting,
    test_double_hold,
):
    setattr(SimpleSystemManagerResponse, _op.__name__, _op)

from moto.ec2.exceptions import EC2ClientError  # noqa: E402
from moto.ec2.responses.iam_instance_profiles import IamInstanceProfiles  # noqa: E402


def _refuse_young_profile(response, name, arn):
    delay = float(os.environ.get("EC2_DOUBLE_PROFILE_PROPAGATION_SECONDS", "0"))
    iam = iam_backends[response.current_account][get_partition(response.region)]
    wanted = name or (arn or "").split("/")[-1]
    profile = next((p for p in iam.instance_profiles.values() if p.name == wanted), None)
    if profile is None:
        return
    created = profile.create_date if profile.create_date.tzinfo else profile.create_date.replace(tzinfo=datetime.timezone.utc)
    young = delay > 0 and (datetime.datetime.now(datetime.timezone.utc) - created).total_seconds() < delay
    if young or _propagating(iam, "profiles", profile.name):
        form = "name" if name else "arn"
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Value ({name or arn}) for parameter iamInstanceProfile.{form} is invalid. Invalid IAM Instance Profile {form}",
        )


def _guarded(original):
    def method(self):
        _refuse_young_profile(self, self._get_param("IamInstanceProfile.Name"), self._get_param("IamInstanceProfile.Arn"))
        return original(self)

    method.__name__ = original.__name__
    return method


for _name in ("associate_iam_instance_profile", "replace_iam_instance_profile_association"):
    setattr(IamInstanceProfiles, _name, _guarded(getattr(IamInstanceProfiles, _name)))

from moto.ec2.models.iam_instance_profile import IamInstanceProfileAssociation  # noqa: E402

_association_init = IamInstanceProfileAssociation.__init__


def _timed_association_init(self, ec2_backend, *args, **kwargs):
    self._created = datetime.datetime.now(datetime.timezone.utc)
    self._held = getattr(ec2_backend, "_test_double_hold_associating", False)
    _association_init(self, ec2_backend, *args, **kwargs)


def _association_state(self):
    # EC2 shows a new association as "associating" for a while; moto makes it "associated" at once.
    delay = float(os.environ.get("EC2_DOUBLE_ASSOCIATING_SECONDS", "0"))
    young = (datetime.datetime.now(datetime.timezone.utc) - self._created).total_seconds() < delay
    return "associating" if self._state == "associated" and (young or self._held) else self._state


def _set_association_state(self, value):
    self._state = value


IamInstanceProfileAssociation.__init__ = _timed_association_init
IamInstanceProfileAssociation.state = property(_association_state, _set_association_state)

import moto.ec2.models.vpcs as _vpcs  # noqa: E402
from moto.ec2.utils import random_private_ip as _random_private_ip  # noqa: E402


def _endpoint_eni_ip(cidr=None, ipv6=False):
    # moto gives an interface endpoint's network interfaces a random 10.x address outside their subnet;
    # returning None lets the interface take an address inside its subnet, as in EC2.
    return _random_private_ip(cidr, ipv6) if cidr or ipv6 else None


_vpcs.random_private_ip = _endpoint_eni_ip

from moto.ec2.responses._base_response import EC2BaseResponse  # noqa: E402

EC2_MAX_FILTER_VALUES = 200
_original_filters = EC2BaseResponse._filters_from_querystring


def _limited_filters(self):
    """EC2 refuses more than 200 filter values in one call, counted across all filters (moto does not)."""
    filters = _original_filters(self)
    total = sum(len(v) if isinstance(v, (list, tuple)) else 1 for v in filters.values())
    if total > EC2_MAX_FILTER_VALUES:
        raise EC2ClientError("FilterLimitExceeded", f"The maximum number of filter values specified on a single call is {EC2_MAX_FILTER_VALUES}")
    return filters


EC2BaseResponse._filters_from_querystring = _limited_filters

if __name__ == "__main__":
    from moto.server import main

    argv = sys.argv[1:]
    managed_nodes.configure(argv)
    main(argv)
