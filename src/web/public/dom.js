// @ts-check
// Builds DOM nodes. Text always goes in as text nodes (never innerHTML), so a token named
// "<img onerror=…>" is shown, not run.

/**
 * @typedef {string | Node | null | undefined | false} Child
 * @typedef {Child | Child[]} Children
 */

/**
 * h('button', { class: 'button', type: 'button', onclick: fn }, 'Text', childNode)
 * Attributes with null/undefined/false are left out; `true` sets an empty attribute.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attributes]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  /** @type {Array<string | Node>} */
  const nodes = [];
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) nodes.push(child);
  element.append(...nodes);
  return element;
}

/**
 * The element with `id`, checked to be a `type` (HTMLElement by default); a page without it
 * is broken, so this throws rather than returning null.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T; prototype: T }} [type]
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  const expected = type ?? HTMLElement;
  if (!(element instanceof expected)) throw new Error(`#${id} is not a ${expected.name}`);
  return /** @type {T} */ (element);
}

/**
 * Shows `message` in an element that is hidden while empty.
 * @param {HTMLElement} element
 * @param {string | null | undefined} message
 */
export function showMessage(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}
