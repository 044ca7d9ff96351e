// Registers the aws-sdk-client-mock matchers (toHaveReceivedCommandWith...) for every test file.
import 'aws-sdk-client-mock-vitest/extend';

// On Node 20 the SDK warns (once per process, on stderr) that its releases after January 2027 need
// Node 22. The suite runs on 20 on purpose (engines >=20.19, and the CI matrix covers 22 and 24), so
// the notice is noise in every test worker's output; the CLI turns it off the same way (src/cli/main.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
