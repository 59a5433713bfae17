/**
 * The reference the data set's README describes, computed in the same run: Okapi BM25 (k1 = 1.2, b = 0.75) over
 * lower-cased alphanumeric tokens with a small English stop-word list, question and answer concatenated, one
 * document per FAQ. Deliberately plain: it is the bar, not the product.
 */
const STOP_WORDS = new Set(
  "a an and are as at be but by for from has have i if in into is it its of on or that the their then there these they this to was were will with what when where which who how do does can you your".split(
    " ",
  ),
);

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => !STOP_WORDS.has(t));
}

export class Bm25Reference {
  private readonly docs: Array<{ id: string; tf: Map<string, number>; length: number }> = [];
  private readonly df = new Map<string, number>();
  private avgdl = 0;

  constructor(documents: Array<{ id: string; text: string }>) {
    for (const doc of documents) {
      const tokens = tokenize(doc.text);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.docs.push({ id: doc.id, tf, length: tokens.length });
    }
    this.avgdl = this.docs.reduce((s, d) => s + d.length, 0) / this.docs.length;
  }

  search(query: string, limit: number): string[] {
    const n = this.docs.length;
    const terms = [...new Set(tokenize(query))];
    return this.docs
      .map((d) => {
        let score = 0;
        for (const t of terms) {
          const tf = d.tf.get(t);
          if (!tf) continue;
          const df = this.df.get(t)!;
          const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
          score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * d.length) / this.avgdl));
        }
        return { id: d.id, score };
      })
      .filter((d) => d.score > 0)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((d) => d.id);
  }
}
