/** Stream names are `<category>-<id>`, e.g. `delegation-7b0c…`; the category has no '-'. */
export function streamName(category: string, id: string): string {
  if (!/^[a-z][a-z0-9_]*$/i.test(category)) throw new TypeError(`invalid stream category "${category}"`);
  if (id.length === 0) throw new TypeError('stream id must not be empty');
  return `${category}-${id}`;
}

export function categoryOf(name: string): string {
  const dash = name.indexOf('-');
  return dash === -1 ? name : name.slice(0, dash);
}

export function idOf(name: string): string {
  const dash = name.indexOf('-');
  return dash === -1 ? '' : name.slice(dash + 1);
}
