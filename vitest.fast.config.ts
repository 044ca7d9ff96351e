// The fast tests (unit + command, in-process, no emulator): what `npm run test:unit` and mutation
// testing run. (mergeConfig would append to the base's include list, so the test block is rebuilt.)
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/unit/**/*.test.ts', 'test/command/**/*.test.ts'] } });
