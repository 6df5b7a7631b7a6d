/**
 * From segmented tokens to a PostgreSQL tsquery, and snippets with the matches marked. Pure:
 * segmentation itself (jieba) happens in ../search/segment.ts.
 */

/**
 * A minimal list: particles, pronouns and question frames that carry no topic. Words that carry a
 * customer question's meaning stay searchable — 还 (repay), 不 / 没 (negation), 能 / 可以 / 会,
 * 什么时候 / 多久 (timing), 多少 (amount), 要 / 需要: ranking weighs them by rarity (idf) instead.
 */
export const ZH_STOPWORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 嘛 么 哦 啦 哈 嗯 之 地 得 着 是 我 我的 我们 你 您 你们 他 她 它 ' +
    '请问 请 一下 这 这个 那 那个 个 一个 和 与 及 或 或者 就 都 也 把 被 给 对 在 ' +
    '怎么 怎么样 怎样 如何 为什么 为何 咋 啥 哪 哪里'
  ).split(/\s+/),
);

/**
 * Words that carry meaning but also appear in many questions about other things (还 as "repay"
 * and as "still", 不, 能): kept, at a fraction of their weight, so they decide between close
 * candidates without pulling in every article that has them in its title.
 */
export const ZH_WEAK_WORDS = new Set(
  (
    '还 还是 不 没 没有 能 能否 能不能 可以 可不可以 会 会不会 要 需要 想 想要 有 有没有 是不是 ' +
    '什么 什么时候 啥时候 多久 多少 多长时间 时候 时 后 之后 以后 已经 现在 一直 又 再 帮 帮忙 ' +
    '上 下 里 中 多 很 太 好 谁 能够 如果 但是 所以 因为 而且 然后 可能 比较 刚 刚刚 东西 一般 ' +
    '找 一起 怎么办 该 应该 过 到 从 让 自己 一些 一 两'
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
  // Accounts and financial services (from the finance evaluation's tuning set only).
  ['开通', '激活', '办理', '开启'],
  ['关闭', '注销', '销户', '停用', '关掉', '停掉'],
  ['冻结', '解冻', '受限', '限制', '封'],
  ['还款', '还钱', '还清', '结清'],
  ['手续费', '服务费', '收费', '费率'],
  ['额度', '提额'],
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

/** Word → its whole group (itself included). */
export type SynonymMap = ReadonlyMap<string, readonly string[]>;

const SYNONYMS: SynonymMap = synonymMap([]);

/**
 * The built-in groups joined with the administrators' (a dictionary word and its synonyms):
 * groups sharing a word become one (储蓄卡 = 借记卡 and 借记卡 = 银行卡 make one group of three),
 * built-in order first. Keys are lower-cased like query tokens.
 */
export function synonymMap(adminGroups: readonly (readonly string[])[]): SynonymMap {
  const groups: string[][] = [];
  const of = new Map<string, string[]>();
  for (const raw of [...SYNONYM_GROUPS, ...adminGroups]) {
    const words = raw.map((w) => w.trim().toLowerCase()).filter(Boolean);
    const joined = [...new Set(words.map((w) => of.get(w)).filter((g) => g !== undefined))];
    const group = joined[0] ?? [];
    if (!joined.length) groups.push(group);
    for (const other of joined.slice(1)) {
      group.push(...other);
      groups.splice(groups.indexOf(other), 1);
    }
    group.push(...words);
    const unique = [...new Set(group)];
    group.splice(0, group.length, ...unique);
    for (const w of group) of.set(w, group);
  }
  return of;
}

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
export function queryGroups(
  tokens: readonly string[],
  text = '',
  synonyms: SynonymMap = SYNONYMS,
): string[] {
  const kept = [...new Set([...keepTokens(tokens), ...phraseSynonyms(text)])];
  const groups = new Map<string, string>();
  kept.forEach((token, i) => {
    const group = synonyms.get(token) ?? [token];
    const key = group.join('|');
    if (groups.has(key)) return;
    const alternatives = new Set<string>();
    for (const word of group)
      for (const piece of word.split(/\s+/)) if (lexeme(piece)) alternatives.add(lexeme(piece));
    if (!alternatives.size) return;
    // A one-character Chinese word also matches the words it starts (还 → 还款, 还钱); the last
    // ASCII word matches as a prefix too (partial words while typing).
    const prefix =
      /^\p{Script=Han}$/u.test(token) || (i === kept.length - 1 && /^[a-z0-9]{3,}$/.test(token))
        ? ':*'
        : '';
    const terms = [...alternatives].map((a) => `'${a}'${a === lexeme(token) ? prefix : ''}`);
    groups.set(key, terms.length > 1 ? `(${terms.join(' | ')})` : terms[0]!);
  });
  return [...groups.values()];
}

/** Stop characters that make a character bigram meaningless (的确 is rare; 的X is noise). */
export const BIGRAM_STOP = new Set(
  '的了吗呢吧啊呀嘛么哦啦哈嗯我你您他她它这那个和与及或就都也把被给对在请'.split(''),
);

/**
 * Adjacent Han character pairs of a text (花呗 from 花呗还款 even when the segmenter splits it
 * into 花 / 呗): fused with the words, they catch product names missing from the dictionary and
 * paraphrases the segmenter cuts differently. Pure; deduplicated, in text order.
 */
export function hanBigrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i += 1) {
      if (BIGRAM_STOP.has(chars[i]!) || BIGRAM_STOP.has(chars[i + 1]!)) continue;
      out.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...out];
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

/** A tsquery text matching any two of the groups: `(a) & (b) | (a) & (c) | (b) & (c)`. */
export function pairsOf(groups: readonly string[]): string {
  return groups.flatMap((g, i) => groups.slice(i + 1).map((h) => `(${g}) & (${h})`)).join(' | ');
}
