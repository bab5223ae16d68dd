import { describe, expect, it } from 'vitest';
import { frameHeaders } from '../../../src/api/frame-ancestors.js';
import { loadConfig } from '../../../src/config/load-config.js';

describe('frame-ancestors', () => {
  it('denies every frame by default, in the CSP and X-Frame-Options alike', () => {
    const config = loadConfig({ env: {} });
    expect(config.api.frameAncestors).toEqual([]);
    expect(frameHeaders(config.api.frameAncestors)).toEqual({
      directive: "frame-ancestors 'none'",
      xFrameOptions: 'DENY',
    });
  });

  it('allows exactly the listed origins, and sends no X-Frame-Options to contradict them', () => {
    const config = loadConfig({
      env: { REACHGRAPH_API_FRAME_ANCESTORS: 'https://backstage.example.com, http://127.0.0.1:7007' },
    });
    expect(frameHeaders(config.api.frameAncestors)).toEqual({
      directive: 'frame-ancestors https://backstage.example.com http://127.0.0.1:7007',
      xFrameOptions: null,
    });
  });

  it('refuses anything but an origin: a path, a wildcard, a keyword, plain http off loopback', () => {
    for (const bad of [
      'https://portal.example.com/catalog',
      '*',
      "'self'",
      'https://*.example.com',
      'http://portal.example.com',
      'portal.example.com',
      'https://portal.example.com frame-src',
    ])
      expect(() => loadConfig({ env: { REACHGRAPH_API_FRAME_ANCESTORS: bad } }), bad).toThrow(
        /api\.frameAncestors.*expected an origin/s,
      );
    // The CORS allow-list takes origins the same way.
    expect(() => loadConfig({ env: { REACHGRAPH_API_CORS_ORIGINS: 'https://portal.example.com/' } })).toThrow(
      /api\.corsOrigins/,
    );
  });
});
