// The Python that holds the aws CLI's own modules (awscli, jmespath), for the tests that check this
// tool against them as an independent oracle. The aws CLI v1 is a Python package: the interpreter
// that runs `aws` can import it. SSM_PERMS_PYTHON (the moto venv) is tried first, then `python3`.
import { execFileSync } from 'node:child_process';

const candidates = () => [process.env.SSM_PERMS_PYTHON, 'python3'].filter((p): p is string => !!p);

/** Runs `script` with the first Python that can import `module`, `input` on stdin; its stdout. */
export function runPythonWith(module: string, script: string, input: string): string {
  for (const python of candidates()) {
    try {
      execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore' });
    } catch {
      continue;
    }
    return execFileSync(python, ['-c', script], { input, encoding: 'utf8' });
  }
  throw new Error(
    `no Python here can import ${module} (tried ${candidates().join(', ')}): install the aws CLI v1 there (pip install awscli), or point SSM_PERMS_PYTHON at one that has it`,
  );
}
