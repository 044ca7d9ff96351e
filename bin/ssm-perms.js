#!/usr/bin/env node
// The published entry point: everything lives in the esbuild bundle so start-up stays fast. On Node 22+
// the module compile cache (module.enableCompileCache) lets later runs skip compiling the bundle again;
// it is asked for before the bundle loads, and where it does not exist nothing changes.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/main.js');
