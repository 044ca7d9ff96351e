// Starts the local AWS emulator (moto plus this project's SSM double, moto_ssm.py) on 127.0.0.1 and
// gives the environment that points the CLI and the AWS CLI at it. Used by the end-to-end tests
// and by `npm run sandbox`. Plain JavaScript so both can load it without a build step.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const LAUNCHER = fileURLToPath(new URL('./moto_ssm.py', import.meta.url));

/**
 * The Python that runs moto: SSM_PERMS_PYTHON when set (e.g. ~/.venvs/moto/bin/python, a venv where
 * the system Python refuses `pip install` as "externally managed", https://peps.python.org/pep-0668/),
 * else `python3` from PATH.
 */
export function motoPython(env = process.env) {
  return env.SSM_PERMS_PYTHON || 'python3';
}

const INSTALL_HINT =
  "Install moto in a virtual environment: python3 -m venv ~/.venvs/moto && ~/.venvs/moto/bin/pip install 'moto[server]==5.2.1', " +
  'then export SSM_PERMS_PYTHON=~/.venvs/moto/bin/python (see the README, "Try it without an AWS account").';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The environment for a child process that must talk to the emulator and nothing else. */
export function emulatorEnv(url, region = 'us-east-1') {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Starts the emulator. Options: port (default: a free one), propagationSeconds (how long the SSM
 * double refuses a newly created role, as SSM does while IAM propagates), profilePropagationSeconds
 * (the same for EC2 and a newly created instance profile), associatingSeconds (how long a new
 * association reads "associating").
 */
export async function startEmulator(options = {}) {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const python = motoPython();
  const child = spawn(python, [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      SSM_DOUBLE_ROLE_PROPAGATION_SECONDS: String(options.propagationSeconds ?? 0),
      EC2_DOUBLE_PROFILE_PROPAGATION_SECONDS: String(options.profilePropagationSeconds ?? 0),
      EC2_DOUBLE_ASSOCIATING_SECONDS: String(options.associatingSeconds ?? 0),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // werkzeug logs every request on stderr: keep only the tail (for start-up failures), never block.
  let log = '';
  child.stderr.on('data', (d) => {
    log = (log + d.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  // No such interpreter: spawn reports it as an 'error' event, and the child never runs.
  child.on('error', (e) => {
    log += `cannot run ${python}: ${e.message}\n`;
    exited = true;
  });

  // A deadline, not a delay: a loaded machine only makes moto take longer to import (the suite's hook allows 60 s).
  const deadline = Date.now() + 50_000;
  for (;;) {
    if (exited) {
      const missing = /No module named '?(moto|werkzeug|flask)|cannot run /.test(log);
      throw new Error(`the emulator (${python} ${LAUNCHER}) exited during start-up:\n${log}${missing ? `\n${INSTALL_HINT}` : ''}`);
    }
    try {
      const res = await fetch(`${url}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the emulator did not answer on ${url} within 50 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  /** Sends one of the SSM double's test operations (not AWS operations) and returns its JSON answer. */
  async function control(operation, region, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AmazonSSM.${operation}`,
        // moto reads the region from the credential scope of the (unchecked) signature.
        Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/ssm/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${operation} failed: ${res.status} ${text}`);
    return text ? JSON.parse(text) : {};
  }
  const hold = async (what, active, region = 'us-east-1') => ({ refused: (await control('TestDoubleHold', region, { Hold: what, Active: active })).Refused });

  return {
    url,
    port,
    env: (region) => emulatorEnv(url, region),
    /**
     * Test knob of the SSM double: stores a service setting exactly as given (value and Status), e.g.
     * a role value with Status "Default" as AWS's own sample output shows it.
     */
    async putServiceSetting(region, settingId, value, status) {
      await control('TestDoublePutServiceSetting', region, { SettingId: settingId, SettingValue: value, Status: status });
    },
    /**
     * Test knob: roles and instance profiles created from now on are refused by SSM and EC2, as while IAM
     * propagates them, until propagateIam(). Unlike propagationSeconds, the test decides when IAM has
     * caught up, so how fast the machine runs changes nothing. Resolves to the refusals counted so far.
     */
    holdIamPropagation: () => hold('IamPropagation', true),
    /** IAM has caught up: the held roles and instance profiles are accepted from now on. */
    propagateIam: () => hold('IamPropagation', false),
    /** How many requests the IAM hold has refused since the last reset. */
    iamRefusals: async () => (await hold('IamPropagation', undefined)).refused,
    /** Test knob: new associations in `region` read "associating" until releaseAssociating(region). */
    holdAssociating: (region) => hold('Associating', true, region),
    releaseAssociating: (region) => hold('Associating', false, region),
    /** Wipes all emulator state (IAM, EC2, SSM settings). */
    async reset() {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`reset failed: ${res.status}`);
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
