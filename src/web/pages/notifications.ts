import type { WebAssets } from '../assets.js';
import { renderSettingsPage } from './settings-shell.js';

/** One switch per kind of mail; notifications.js reads and saves them through the API. */
const CHOICES = [
  {
    id: 'expiry_notices',
    label: 'Token expiry notices',
    hint: 'A mail 7 days and 1 day before one of your tokens expires, and, if you are an admin or owner of an organization, before any of its tokens does. Turned off, you get none of these.',
  },
  {
    id: 'new_network_alerts',
    label: 'New-network alerts',
    hint: 'A mail when one of your tokens is first used from a network it has not been used from before.',
  },
] as const;

function renderChoice({ id, label, hint }: (typeof CHOICES)[number]): string {
  const inputId = `notify-${id.replace(/_/g, '-')}`;
  return `<div class="notification-choice">
        <input type="checkbox" role="switch" id="${inputId}" data-preference="${id}" aria-describedby="${inputId}-hint" disabled>
        <div>
          <label for="${inputId}">${label}</label>
          <p class="hint" id="${inputId}-hint">${hint}</p>
        </div>
      </div>`;
}

/** The "Notifications" tab of Profile settings: which mails Tollbooth sends the person. */
export function renderNotificationsPage(assets: WebAssets): string {
  return renderSettingsPage(assets, {
    title: 'Notifications',
    script: 'notifications.js',
    current: 'notifications',
    main: `    <div class="page-head">
      <div>
        <h2 id="notifications-title">Notifications</h2>
        <p class="lede">Choose which mails Tollbooth sends you. Changes are saved as you make them.</p>
      </div>
    </div>
    <form class="notification-choices" id="notification-form" aria-labelledby="notifications-title" novalidate>
      ${CHOICES.map(renderChoice).join('\n      ')}
    </form>
    <p class="announcer" id="announcer" role="status" aria-live="polite"></p>
    <div class="form-alert" id="page-error" role="alert" hidden></div>`,
  });
}
