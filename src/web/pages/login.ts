import type { WebAssets } from '../assets.js';
import { escapeHtml, renderDocument } from './layout.js';

/**
 * `/login`: email and password, posted by login.js to `POST /api/session`. `next` has
 * already been checked to be a local path (next-path.ts); the script goes there afterwards.
 */
export function renderLoginPage(assets: WebAssets, next: string): string {
  return renderDocument(assets, {
    title: 'Log in',
    script: 'login.js',
    bodyClass: 'page-login',
    body: `<main class="login-card" aria-labelledby="login-title">
  <p class="brand brand-large"><span class="brand-mark" aria-hidden="true"></span>Tollbooth</p>
  <h1 id="login-title">Log in</h1>
  <form id="login-form" class="stack" novalidate data-next="${escapeHtml(next)}">
    <div class="form-alert" id="login-error" role="alert" hidden></div>
    <div class="field">
      <label for="login-email">Email</label>
      <input id="login-email" name="email" type="email" autocomplete="username" required autofocus spellcheck="false">
    </div>
    <div class="field">
      <label for="login-password">Password</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required>
    </div>
    <button type="submit" class="button button-primary button-block" id="login-submit">Log in</button>
  </form>
  <noscript><p class="form-alert">This page needs JavaScript to log you in.</p></noscript>
</main>`,
  });
}
