import { html, nothing } from 'lit';
import { enumLabel, providerLabel } from '../views.js';

/**
 * The counts of a large answer (`reachableFromSummary`, `whoCanReachSummary`), each a link to the
 * same page narrowed to that value: the drill-down is the paged list with the matching filter,
 * never thousands of nodes drawn at once.
 */
export interface Count {
  key: string;
  count: number;
}

export type CountLabel = 'enum' | 'provider' | 'kind' | 'hops';

function label(kind: CountLabel, key: string): string {
  if (kind === 'provider') return providerLabel(key);
  if (kind === 'enum') return enumLabel(key);
  if (kind === 'hops') return key === '0' ? 'direct' : `${key} hop${key === '1' ? '' : 's'}`;
  return key;
}

/**
 * One dimension as a small table: value, count, and (when `link` gives one) the address of the
 * drill-down; `selected` marks the value the page is narrowed to.
 */
export function countTable(
  caption: string,
  counts: readonly Count[],
  kind: CountLabel,
  link?: (key: string) => string,
  selected?: string | null,
) {
  if (counts.length === 0) return nothing;
  return html`<table class="counts">
    <caption>${caption}</caption>
    <tbody>
      ${counts.map(
        (c) => html`<tr>
          <th scope="row">
            ${
              link
                ? html`<a href=${link(c.key)} aria-current=${selected === c.key ? 'true' : 'false'}
                    >${label(kind, c.key)}</a
                  >`
                : label(kind, c.key)
            }
          </th>
          <td class="number">${c.count.toLocaleString('en-US')}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
