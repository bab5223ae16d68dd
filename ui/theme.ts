/**
 * Light or dark: `?theme=light|dark` forces one (an embedding portal passes its own), otherwise the
 * browser's prefers-color-scheme decides (app.css). The choice is an attribute on <html>, which every
 * component reads through the CSS custom properties.
 */
export type Theme = 'light' | 'dark';

export function themeFrom(search: string): Theme | null {
  const value = new URLSearchParams(search).get('theme');
  return value === 'light' || value === 'dark' ? value : null;
}

export function applyTheme(search: string = location.search): void {
  const theme = themeFrom(search);
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** The theme in effect, for what cannot read CSS custom properties by itself (a canvas). */
export function currentTheme(): Theme {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'light' || forced === 'dark') return forced;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
