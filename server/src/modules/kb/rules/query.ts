/**
 * From segmented tokens to a PostgreSQL tsquery, and snippets with the matches marked. Pure:
 * segmentation itself (jieba) happens in ../search/segment.ts.
 */

/** Function words and question words that carry no topic in customer questions. */
export const ZH_STOPWORDS = new Set(
  (
    '的 了 是 我 我的 你 您 他 她 它 们 我们 你们 吗 呢 吧 啊 呀 嘛 么 哦 怎么 怎么办 怎样 如何 什么 ' +
    '哪 哪里 哪些 为什么 为何 可以 可不可以 能 能否 能不能 会 会不会 要 需要 想 想要 在 有 没有 和 与 及 ' +
    '或 或者 就 都 也 还 还是 这 这个 那 那个 个 一个 一下 请问 请 被 把 给 让 对 从 到 时候 时 后 ' +
    '之后 以后 吗 不 没 得 地 着 过 该 应该 已经 现在 一直 又 再 帮 帮忙 一些 有没有 是不是 自己 ' +
    '上 下 里 中 多 很 太 好 吧 呗 啦 谁 能够 如果 但是 所以 因为 而且 然后 可能 比较 刚刚 刚 ' +
    '东西 啥 啥时候 什么时候 一般 找 能用 一起'
  ).split(/\s+/),
);

/** English words dropped before the 'english' config sees them (it drops its own too). */
export const EN_STOPWORDS = new Set(
  'a an the i my me we our you your is are was were be been do does did how what when where why which who can could would should will to of for on in at by with and or not no it its this that there get got'.split(
    ' ',
  ),
);

/**
 * Everyday words customers use for the manual's terms. Each group is searched as one
 * alternative; kept small and generic to the service domain, never tuned to one query.
 */
export const SYNONYM_GROUPS: readonly string[][] = [
  ['订单', '单子', '单'],
  ['退货', '退回', '退掉'],
  ['退款', '退钱', '返款'],
  ['换货', '更换', '调换', '换'],
  ['快递', '物流', '包裹', '配送', '运单', '顺丰', '圆通', '中通', '韵达', '申通', '邮政'],
  ['发货', '出库', '寄出', '发出'],
  ['运费', '邮费', '快递费'],
  ['包邮', '免邮', '免运费'],
  ['更新', '变化', '不动'],
  ['发票', '开票', '票据'],
  ['抬头', '单位名称', '公司名称'],
  ['保修', '质保', '保固'],
  ['维修', '修理', '返修', '报修', '修'],
  ['坏', '故障', '损坏', '坏了', '失灵'],
  ['质量问题', '毛病', '瑕疵'],
  ['赠品', '礼品', '小礼品'],
  ['账号', '账户', '帐号', '帐户'],
  ['密码', '口令'],
  ['投诉', '举报'],
  ['取消', '撤销', '作废'],
  ['地址', '收货地址'],
  ['客服', '人工', '人工客服'],
  ['付款', '支付', '付钱'],
  ['分期', '几期'],
  ['优惠券', '券', '折扣券', '优惠码'],
  ['会员', 'vip'],
  ['refund', 'money back', 'reimburse'],
  ['return', 'send back', 'changed my mind'],
  ['exchange', 'swap'],
  ['delivery', 'shipping', 'shipment', 'parcel', 'package'],
  ['invoice', 'receipt', 'bill'],
  ['warranty', 'guarantee'],
  ['account', 'profile', 'login'],
  ['complaint', 'complain'],
  ['cancel', 'cancellation'],
  ['damaged', 'broken', 'faulty', 'defective', 'crushed'],
];

const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) for (const word of group) SYNONYMS.set(word, group);

const WORD = /[\p{L}\p{N}]/u;
const CJK = /\p{Script=Han}/u;

export const hasCjk = (text: string) => CJK.test(text);

/** Keeps tokens that are words (not punctuation), lower-cased, without stop words. */
export function keepTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (!t || !WORD.test(t) || ZH_STOPWORDS.has(t) || EN_STOPWORDS.has(t)) continue;
    out.push(t);
  }
  return out;
}

/** A lexeme safe inside to_tsquery: letters and digits only. */
const lexeme = (t: string) => t.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * One tsquery text per query word: the word OR its synonyms; the last ASCII word also matches
 * as a prefix (partial words while typing). Each group is weighted by its rarity when ranking.
 */
export function queryGroups(tokens: readonly string[], text = ''): string[] {
  const kept = [...new Set([...keepTokens(tokens), ...phraseSynonyms(text)])];
  const groups = new Map<string, string>();
  kept.forEach((token, i) => {
    const group = SYNONYMS.get(token) ?? [token];
    const key = group.join('|');
    if (groups.has(key)) return;
    const alternatives = new Set<string>();
    for (const word of group)
      for (const piece of word.split(/\s+/)) if (lexeme(piece)) alternatives.add(lexeme(piece));
    if (!alternatives.size) return;
    const prefix = i === kept.length - 1 && /^[a-z0-9]{3,}$/.test(token) ? ':*' : '';
    const terms = [...alternatives].map((a) => `'${a}'${a === lexeme(token) ? prefix : ''}`);
    groups.set(key, terms.length > 1 ? `(${terms.join(' | ')})` : terms[0]!);
  });
  return [...groups.values()];
}

/** Multi-word synonyms ("money back") found in the raw query text. */
function phraseSynonyms(text: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const group of SYNONYM_GROUPS)
    for (const word of group) if (word.includes(' ') && lower.includes(word)) found.push(group[0]!);
  return found;
}

/** The OR of every group: what a matching article must contain at least one of. */
export function buildTsQuery(tokens: readonly string[], text = ''): string {
  return queryGroups(tokens, text).join(' | ');
}

/** Crude English stem for marking matches: "deliveries" → "deliver". */
const stem = (w: string) => {
  const s = w.replace(/(ies|es|s|ed|ing|ly)$/, '');
  return s.length >= 3 ? s : w;
};

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * A short passage of `text` around the first match of any term, split into marked and unmarked
 * parts (no HTML: the client renders <mark> itself, so nothing can be injected).
 */
export function snippet(text: string, terms: readonly string[], maxLength = 160): SnippetPart[] {
  const needles = [...new Set(keepTokens(terms).map((t) => (hasCjk(t) ? t : stem(t))))]
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length);
  const lower = text.toLowerCase();
  let first = -1;
  for (const n of needles) {
    const at = lower.indexOf(n);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  const start = first <= 40 ? 0 : first - 40;
  const end = Math.min(text.length, start + maxLength);
  const window = text.slice(start, end);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', match: false });
  const lw = window.toLowerCase();
  let i = 0;
  let plain = '';
  while (i < window.length) {
    const hit = needles.find((n) => lw.startsWith(n, i));
    if (!hit) {
      plain += window[i];
      i += 1;
      continue;
    }
    let stop = i + hit.length;
    if (!hasCjk(hit)) while (stop < window.length && /[a-z0-9]/i.test(window[stop]!)) stop += 1;
    if (plain) parts.push({ text: plain, match: false });
    plain = '';
    parts.push({ text: window.slice(i, stop), match: true });
    i = stop;
  }
  if (plain) parts.push({ text: plain, match: false });
  if (end < text.length) parts.push({ text: '…', match: false });
  return parts;
}
