import { css } from 'lit';

/**
 * The elements live in someone else's page, which has no explorer stylesheet: they carry the theme's
 * colours themselves (light by default, dark with theme="dark" or, without a theme attribute, under
 * prefers-color-scheme), and a portal may override any --rg-* custom property to match its own
 * palette. The pairs are the explorer's (app.css), WCAG AA contrast in both.
 */
export const elementTheme = css`
  :host {
    --rg-bg: #ffffff;
    --rg-surface: #f6f8fa;
    --rg-fg: #1f2328;
    --rg-muted: #57606a;
    --rg-border: #d0d7de;
    --rg-link: #0550ae;
    --rg-focus: #0969da;
    --rg-danger: #a40e26;
    --rg-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    --rg-mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace;
    display: block;
    box-sizing: border-box;
    max-width: 100%;
    overflow-x: auto;
    background: var(--rg-bg);
    color: var(--rg-fg);
    padding: 0.75rem;
    border: 1px solid var(--rg-border);
    border-radius: 8px;
  }
  :host([theme="dark"]) {
    --rg-bg: #0d1117;
    --rg-surface: #161b22;
    --rg-fg: #e6edf3;
    --rg-muted: #9198a1;
    --rg-border: #3d444d;
    --rg-link: #58a6ff;
    --rg-focus: #58a6ff;
    --rg-danger: #ff7b72;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme])) {
      --rg-bg: #0d1117;
      --rg-surface: #161b22;
      --rg-fg: #e6edf3;
      --rg-muted: #9198a1;
      --rg-border: #3d444d;
      --rg-link: #58a6ff;
      --rg-focus: #58a6ff;
      --rg-danger: #ff7b72;
    }
  }
  h2 {
    font-size: 1.05rem;
    margin: 0 0 0.5rem;
  }
  .summary {
    margin: 0 0 0.5rem;
  }
`;
