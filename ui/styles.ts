import { css } from 'lit';

/**
 * What every page component shares: type, links, tables, form controls, focus rings, status lines.
 * Colours come from the theme's custom properties (app.css).
 */
export const shared = css`
  :host {
    display: block;
    color: var(--rg-fg);
    font-family: var(--rg-font);
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 0.75rem;
    overflow-wrap: anywhere;
  }
  h2 {
    font-size: 1.15rem;
    margin: 1.5rem 0 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 1rem 0 0.4rem;
  }
  a {
    color: var(--rg-link);
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--rg-focus);
    outline-offset: 2px;
  }
  code,
  .mono {
    font-family: var(--rg-mono);
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .muted {
    color: var(--rg-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 0.25rem 0 0.75rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0.25rem 0;
  }
  th,
  td {
    text-align: left;
    padding: 0.35rem 0.6rem;
    border-bottom: 1px solid var(--rg-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    background: var(--rg-surface);
  }
  td.name {
    overflow-wrap: anywhere;
  }
  button,
  input,
  select {
    font: inherit;
    color: var(--rg-fg);
    background: var(--rg-bg);
    border: 1px solid var(--rg-border);
    border-radius: 6px;
    padding: 0.35rem 0.6rem;
  }
  button {
    cursor: pointer;
    background: var(--rg-surface);
  }
  button.primary {
    background: var(--rg-accent);
    color: var(--rg-accent-fg);
    border-color: var(--rg-accent);
  }
  .badge {
    display: inline-block;
    padding: 0 0.45rem;
    border: 1px solid var(--rg-border);
    border-radius: 999px;
    font-size: 0.85em;
    white-space: nowrap;
  }
  .status {
    color: var(--rg-muted);
  }
  .error {
    color: var(--rg-danger);
    border-left: 3px solid var(--rg-danger);
    padding-left: 0.6rem;
  }
  .more {
    margin: 0.25rem 0 1rem;
  }
  /* A page's filter form (search, findings): labelled fields side by side. */
  form.filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.75rem 1rem;
    margin-bottom: 1rem;
  }
  form.filters label {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
    font-weight: 600;
    font-size: 0.9rem;
  }
`;
