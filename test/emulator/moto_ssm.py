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

Test knobs (environment of this process):
  SSM_DOUBLE_ROLE_PROPAGATION_SECONDS=N  refuse a role for N seconds after its creation, as SSM does
                                         while IAM propagates a new role (default 0).
"""
import datetime
import os
import sys

import moto
from moto.core.responses import ActionResult
from moto.iam.models import iam_backends
from moto.ssm.exceptions import SSMException
from moto.ssm.models import ssm_backends
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.utilities.utils import get_partition

DHMC_ID = "/ssm/managed-instance/default-ec2-instance-management-role"
# Settings this double knows, with their AWS default values.
DEFAULTS = {
    DHMC_ID: "$None",
}
OPS = ("get_service_setting", "update_service_setting", "reset_service_setting")

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
    if (datetime.datetime.now(datetime.timezone.utc) - created).total_seconds() < delay:
        raise ValidationException(f"The role {value} does not exist in account {response.current_account}.")


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


for _op in (get_service_setting, update_service_setting, reset_service_setting):
    setattr(SimpleSystemManagerResponse, _op.__name__, _op)

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
