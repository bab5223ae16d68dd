import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { PageProperties } from './router.js';
import { shared } from './styles.js';

/**
 * A page of the explorer: the shell sets `params` (from the route's path) and `query` (the query
 * string) once, creating a new element for every navigation.
 */
export class Page extends LitElement implements PageProperties {
  static override styles = [shared];
  @property({ attribute: false }) accessor params: Record<string, string> = {};
  @property({ attribute: false }) accessor query: URLSearchParams = new URLSearchParams();
}
