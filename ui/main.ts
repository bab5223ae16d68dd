// The explorer's entry point (bundled into dist/ui/app.js by scripts/build-ui.mjs).
import './pages/index.js';
import './app-shell.js';
import { adoptFragmentToken } from './embed-token.js';
import { startRouter } from './router.js';
import { applyTheme } from './theme.js';

adoptFragmentToken();
applyTheme();
startRouter();
