#!/usr/bin/env node
// The published entry point: everything lives in the esbuild bundle so start-up stays fast.
import '../dist/main.js';
