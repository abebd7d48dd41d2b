// Small collection helpers, so that nobody writes them again (and quadratically).

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `values` sorted (in place), each once: the duplicates, side by side once sorted, left out (no set of them). */
export function sortedUnique(values: string[]): string[] {
  values.sort();
  let n = 0;
  for (let i = 0; i < values.length; i++) if (n === 0 || values[i] !== values[n - 1]) values[n++] = values[i]!;
  values.length = n;
  return values;
}
