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
 * @property {TokenColumn[]} tokenColumns The tokens table's columns in order (the Columns menu's choices).
 *
 * @typedef {object} TokenColumn
 * @property {string} id In class names (`col-<id>`) and in what the browser remembers.
 * @property {string} label
 * @property {boolean} hideable
 */

const island = document.getElementById('page-settings');
if (!island?.textContent) throw new Error('missing #page-settings');

/** @type {PageSettings} */
export const settings = JSON.parse(island.textContent);
