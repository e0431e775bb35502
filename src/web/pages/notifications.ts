import type { WebAssets } from '../assets.js';
import { renderSettingsPage } from './settings-shell.js';

/** One switch per kind of mail; notifications.js reads and saves them through the API. */
interface Choice {
  id: string;
  label: string;
  hint: string;
  /** Shown by notifications.js to a person the switch does nothing for today. */
  idle?: string;
}

const CHOICES: readonly Choice[] = [
  {
    id: 'expiry_notices',
    label: "Expiry notices for other people's tokens",
    hint: "If you are an admin or owner of an organization, a mail 7 days and 1 day before any other member's token there expires. Notices about your own tokens always come, whatever this says: they are your warning before the scripts using them stop working.",
    idle: 'You are not an admin or owner of any organization, so none of these come to you now.',
  },
  {
    id: 'new_network_alerts',
    label: 'New-network alerts',
    hint: 'A mail when one of your tokens is first used from a network it has not been used from before.',
  },
];

function renderChoice({ id, label, hint, idle }: Choice): string {
  const inputId = `notify-${id.replace(/_/g, '-')}`;
  const describedBy = idle ? `${inputId}-hint ${inputId}-idle` : `${inputId}-hint`;
  const idleNote = idle ? `\n          <p class="hint" id="${inputId}-idle" data-idle-note hidden>${idle}</p>` : '';
  return `<div class="notification-choice">
        <input type="checkbox" role="switch" id="${inputId}" data-preference="${id}" aria-describedby="${describedBy}" disabled>
        <div>
          <label for="${inputId}">${label}</label>
          <p class="hint" id="${inputId}-hint">${hint}</p>${idleNote}
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
