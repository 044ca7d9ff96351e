// The fast tests (unit + command, in-process, no emulator): what `npm run test:unit` and mutation
// testing run.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({ test: { include: ['test/unit/**/*.test.ts', 'test/command/**/*.test.ts'] } }));
