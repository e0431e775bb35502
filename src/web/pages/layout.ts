import type { WebAssets } from '../assets.js';
import { renderPageSettings } from './page-settings.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

export interface DocumentOptions {
  title: string;
  /** The page's ES module (a file in src/web/public). */
  script: string;
  bodyClass: string;
  /** Already-escaped markup. */
  body: string;
}

/**
 * The HTML document every page shares. No inline script or style anywhere: the CSP
 * (`script-src 'self'; style-src 'self'`) would refuse them, and that is the point. The one
 * inline `<script>` is a JSON data block (the page settings), which is never run.
 */
export function renderDocument(assets: WebAssets, { title, script, bodyClass, body }: DocumentOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)} · Tollbooth</title>
<link rel="icon" href="${assets.url('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assets.url('tollbooth.css')}">
${renderPageSettings()}
<script type="module" src="${assets.url(script)}"></script>
</head>
<body class="${escapeHtml(bodyClass)}">
${body}
</body>
</html>
`;
}
