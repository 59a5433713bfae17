const cache = new Map<string, RegExp>();

/** The words and phrases of `list` found in `text`: whole words, any case, each once in the list's spelling. */
export function findWords(text: string, list: readonly string[]): string[] {
  const normalized = text.replace(/[\u2018\u2019]/g, "'");
  const seen = new Set<string>();
  const found: string[] = [];
  for (const word of list) {
    const key = word.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    if (patternOf(key).test(normalized)) found.push(word.trim());
  }
  return found;
}

/** A letter, digit or underscore next to the word would make it part of a longer one ("download" is not "down", "api_key" not "api"). */
function patternOf(word: string): RegExp {
  let pattern = cache.get(word);
  if (!pattern) {
    const body = word
      .split(/\s+/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("\\s+");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, "iu");
    if (cache.size > 5000) cache.clear();
    cache.set(word, pattern);
  }
  return pattern;
}
