/**
 * The two modal dialogs of the Access tokens tab. Native `<dialog>` opened with
 * `showModal()` makes the rest of the page inert; dialog.js adds the focus trap, Escape
 * handling and returning focus (WAI-ARIA APG "Dialog (Modal)" pattern).
 */
export const GENERATE_DIALOG = `<dialog class="dialog" id="generate-dialog" role="dialog" aria-modal="true" aria-labelledby="generate-title">
  <form id="generate-form" class="stack" novalidate>
    <h2 id="generate-title">Generate token</h2>
    <div class="form-alert" id="generate-error" role="alert" hidden></div>
    <div class="field">
      <label for="token-name">Token name</label>
      <input id="token-name" name="name" required autocomplete="off" spellcheck="false"
        aria-describedby="token-name-hint token-name-error">
      <p class="hint" id="token-name-hint">What is it for? For example “CI deploy” or “Nightly export”.</p>
      <p class="field-error" id="token-name-error" hidden></p>
    </div>
    <div class="field">
      <label for="token-service">Service</label>
      <select id="token-service" name="service" required aria-describedby="token-service-error">
        <option value="">Choose a service…</option>
      </select>
      <p class="field-error" id="token-service-error" hidden></p>
    </div>
    <fieldset class="field scope-choice" id="token-scopes-field" aria-describedby="token-scopes-hint token-scopes-error" hidden>
      <legend>Scopes</legend>
      <p class="hint" id="token-scopes-hint">All are granted unless you untick some. They can't be changed later.</p>
      <div class="scope-options" id="token-scopes"></div>
      <p class="field-error" id="token-scopes-error" hidden></p>
    </fieldset>
    <div class="field" id="token-role-field" hidden>
      <label for="token-role">Role</label>
      <select id="token-role" name="role" aria-describedby="token-role-hint token-role-error"></select>
      <p class="hint" id="token-role-hint">A token can never do more than you can. Pick a lower role to limit it.</p>
      <p class="field-error" id="token-role-error" hidden></p>
    </div>
    <div class="field">
      <label for="token-description">Description <span class="optional">(optional)</span></label>
      <textarea id="token-description" name="description" rows="2" aria-describedby="token-description-error"></textarea>
      <p class="field-error" id="token-description-error" hidden></p>
    </div>
    <div class="field">
      <label for="token-networks">Allowed networks <span class="optional">(optional)</span></label>
      <textarea id="token-networks" name="allowed_ips" rows="2" spellcheck="false" autocomplete="off"
        aria-describedby="token-networks-hint token-networks-error"></textarea>
      <p class="hint" id="token-networks-hint">One IPv4 or IPv6 network per line, such as 203.0.113.0/24. Leave empty to allow any network.</p>
      <p class="field-error" id="token-networks-error" hidden></p>
    </div>
    <div class="dialog-actions">
      <button type="button" class="button" data-dialog-close>Cancel</button>
      <button type="submit" class="button button-primary" id="generate-submit">Generate token</button>
    </div>
  </form>
  <div id="reveal" class="stack" hidden>
    <h2 id="reveal-title">Copy your new token</h2>
    <p class="warning"><strong>This is the only time the token is shown.</strong>
      Copy it now and keep it somewhere safe: it won't be shown again.</p>
    <div class="field">
      <p class="label" id="reveal-label">Token <span id="reveal-name"></span></p>
      <div class="secret-row">
        <code class="secret" id="reveal-token" tabindex="0" aria-labelledby="reveal-label"></code>
        <button type="button" class="button" id="copy-token">Copy token</button>
      </div>
      <p class="hint" id="copy-status" role="status" aria-live="polite"></p>
    </div>
    <p class="hint">Scripts exchange it at <code>POST /oauth/token</code> for a 4-hour access token.</p>
    <div class="dialog-actions">
      <button type="button" class="button button-primary" id="reveal-done">Done</button>
    </div>
  </div>
</dialog>`;

export const ROLL_DIALOG = `<dialog class="dialog" id="roll-dialog" role="dialog" aria-modal="true" aria-labelledby="roll-title" aria-describedby="roll-description">
  <form id="roll-form" class="stack" novalidate>
    <h2 id="roll-title">Roll token?</h2>
    <p id="roll-description">The token gets a new secret, shown once. Everything else about it stays the same.</p>
    <div class="field">
      <label for="roll-grace">Keep the old secret working for</label>
      <select id="roll-grace" name="grace_seconds" aria-describedby="roll-grace-hint">
        <option value="0">No time: stop it now</option>
        <option value="300">5 minutes</option>
        <option value="3600" selected>1 hour</option>
        <option value="86400">1 day</option>
      </select>
      <p class="hint" id="roll-grace-hint">Time to put the new secret everywhere the old one is used.</p>
    </div>
    <div class="form-alert" id="roll-error" role="alert" hidden></div>
    <div class="dialog-actions">
      <button type="button" class="button" data-dialog-close>Cancel</button>
      <button type="submit" class="button button-primary" id="roll-confirm">Roll token</button>
    </div>
  </form>
</dialog>`;

export const DELETE_DIALOG = `<dialog class="dialog" id="delete-dialog" role="dialog" aria-modal="true" aria-labelledby="delete-title" aria-describedby="delete-description">
  <div class="stack">
    <h2 id="delete-title">Delete tokens?</h2>
    <p id="delete-description">Scripts and integrations using them stop working immediately. This can’t be undone.</p>
    <ul class="delete-names" id="delete-names"></ul>
    <div class="form-alert" id="delete-error" role="alert" hidden></div>
    <div class="dialog-actions">
      <button type="button" class="button" data-dialog-close>Cancel</button>
      <button type="button" class="button button-danger" id="delete-confirm">Delete</button>
    </div>
  </div>
</dialog>`;
