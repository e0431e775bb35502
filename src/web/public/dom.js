// Builds DOM nodes. Text always goes in as text nodes (never innerHTML), so a token named
// "<img onerror=…>" is shown, not run.

/**
 * h('button', { class: 'button', type: 'button', onclick: fn }, 'Text', childNode)
 * Attributes with null/undefined/false are left out; `true` sets an empty attribute.
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
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

/** Shows `message` in an element that is hidden while empty. */
export function showMessage(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}
