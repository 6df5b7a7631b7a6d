/**
 * The index terms of a ticket-search query, mirroring the SQL function `ticket_search_vector`
 * (migration 0008): Chinese is indexed as every pair of adjacent characters plus each run's last
 * character, Latin text as lower-cased words of letters and digits, and the ticket number also
 * by its last 3–5 characters. A query's terms must all be present (a tsquery of ANDs); the
 * caller's ILIKE then decides, so the terms only need never to miss a real match — with one
 * documented exception: a Latin or digit query word finds the words that start with it
 * (`refund` finds `refunded`, `fund` does not; `1381234` finds a phone number, its tail does
 * not — except the ticket number's tail). Pure.
 */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const WORD = /[a-z0-9]+/g;
/** Longest Latin word the SQL side indexes whole (`[a-z0-9]{1,40}`). */
const MAX_WORD = 40;

const quote = (lexeme: string) => `'${lexeme}'`;

/**
 * A `tsquery` (in its text form, for `::tsquery`) that every ticket matching `q` by substring
 * satisfies, or null when `q` yields no usable term (then only the ILIKE applies).
 */
export function searchTsQuery(q: string): string | null {
  const terms = new Set<string>();
  for (const [run] of q.matchAll(HAN)) {
    if (run.length === 1) {
      terms.add(`${quote(run)}:*`);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) terms.add(quote(run.slice(i, i + 2)));
  }
  const latin = q.toLowerCase().replace(HAN, ' ');
  for (const [word] of latin.matchAll(WORD)) {
    // A longer word is split differently by the index; the ILIKE still finds it.
    if (word.length > MAX_WORD) continue;
    terms.add(`${quote(word)}:*`);
  }
  return terms.size ? [...terms].join(' & ') : null;
}
