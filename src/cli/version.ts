// Replaced at build time by esbuild's `define`; the fallback serves in-process tests.
declare const __SSM_PERMS_VERSION__: string | undefined;
export const VERSION: string = typeof __SSM_PERMS_VERSION__ === 'string' ? __SSM_PERMS_VERSION__ : '0.0.0-dev';
