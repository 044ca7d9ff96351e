// Display widths: string-width once loaded; code points before (start-up, where nothing is measured
// but a usage error).
import { describe, expect, it } from 'vitest';
import { displayWidth, loadDisplayWidth } from '../../../src/output/width.js';

describe('displayWidth', () => {
  it('counts code points until string-width is loaded, then columns as a terminal shows them', async () => {
    expect(displayWidth('名前')).toBe(2);
    expect(displayWidth('ab')).toBe(2);
    await loadDisplayWidth();
    expect(displayWidth('名前')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('ab')).toBe(2);
  });
});
