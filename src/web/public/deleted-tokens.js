// @ts-check
// The Deleted view of the tokens table, for an organization's admins and owners: deleted tokens
// are a record of who deleted them, when and why, with nothing to act on.
import { h } from './dom.js';
import { formatDateTime } from './format.js';

/**
 * What each deletion reason reads as; a reason the page does not know yet is shown as sent.
 * @type {Record<string, string>}
 */
const REASON_LABELS = {
  deleted: 'Deleted by a person',
  leaked: 'Reported as leaked',
  member_removed: 'Owner removed from the organization',
};

/**
 * @param {NonNullable<import('./api.js').Token['deletion']>} deletion
 * @returns {string}
 */
function deletedBy(deletion) {
  if (deletion.by) return deletion.by.email;
  // A leak report revokes without anyone signed in; so does an operator removing the owner
  // with `tollbooth member remove`.
  if (deletion.reason === 'leaked') return 'a leak report';
  return deletion.reason === 'member_removed' ? 'an operator at the command line' : 'someone no longer known';
}

/**
 * When, by whom and why a token was deleted.
 * @param {import('./api.js').Token} token
 * @returns {import('./dom.js').Children}
 */
export function deletionDetails(token) {
  const deletion = token.deletion;
  if (!deletion) return null;
  const reason = deletion.reason === null ? 'Not recorded' : (REASON_LABELS[deletion.reason] ?? deletion.reason);
  return [
    h('time', { datetime: deletion.at }, formatDateTime(deletion.at)),
    h('span', { class: 'row-deleted-by' }, `by ${deletedBy(deletion)}`),
    h('span', { class: 'row-deletion-reason', dataset: { reason: deletion.reason ?? '' } }, `Why: ${reason}`),
  ];
}

/**
 * Whether a filter choice lists deleted tokens, which nobody can act on.
 * @param {{ status: string }} filters
 */
export const showsDeletedTokens = (filters) => filters.status === 'deleted';
