import { describe, expect, it } from 'vitest';
import { CHROMIUM_ENV, chromiumExecutable } from '../../helpers/chromium.js';

describe('chromiumExecutable', () => {
  it('takes the binary the variable names', () => {
    expect(chromiumExecutable({ [CHROMIUM_ENV]: process.execPath })).toBe(process.execPath);
  });

  it('names the package to install and the variable when the binary is missing', () => {
    expect(() => chromiumExecutable({ [CHROMIUM_ENV]: '/nonexistent/chrome' })).toThrow(
      'No Chromium at /nonexistent/chrome (REACHGRAPH_CHROMIUM): install it (Debian/Ubuntu: apt-get install chromium) or set REACHGRAPH_CHROMIUM to a Chromium or Chrome binary',
    );
  });
});
