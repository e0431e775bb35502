// @ts-check
// The rules the server owns and the page applies before asking it (roles, length limits, the
// cap, when a token counts as expiring soon), read from the JSON data block the server
// renders into every page, so the page never keeps a copy of its own.

/**
 * @typedef {object} PageSettings
 * @property {string[]} roles Membership roles, lowest first.
 * @property {string[]} organizationManagerRoles Roles that see and manage every token of their organization.
 * @property {number} tokenNameMaxLength In characters (code points).
 * @property {number} tokenDescriptionMaxLength In characters (code points).
 * @property {number} tokenCap Live tokens a person may hold across organizations.
 * @property {number} expiresSoonDays A token is flagged this many days before it expires.
 */

const island = document.getElementById('page-settings');
if (!island?.textContent) throw new Error('missing #page-settings');

/** @type {PageSettings} */
export const settings = JSON.parse(island.textContent);
