// The portal elements' entry point (bundled into dist/ui/elements.js by scripts/build-ui.mjs, apart
// from the explorer's app.js): <reachgraph-blast-radius> and <reachgraph-who-can-reach>, and the one
// configuration hook. docs/portals.md shows them in a Backstage card and a plain HTML page.
import { configureReachgraph } from './config.js';
import './blast-radius.js';
import './who-can-reach.js';

export type { ElementsConfig } from './config.js';
export { configureReachgraph } from './config.js';

declare global {
  interface Window {
    reachgraph?: { configure: typeof configureReachgraph };
  }
}

// For pages that load the bundle with a plain <script type="module" src> and configure it from
// another script.
window.reachgraph = { ...window.reachgraph, configure: configureReachgraph };
