/**
 * A generated Chinese evaluation set for knowledge-base search: financial-services FAQ articles
 * (product × intent, e.g. 花呗如何提前还款) and customers' paraphrases of each question.
 *
 * Provenance: written for this benchmark from everyday customer-service wording (no external
 * data; the machine has no open web). Paraphrases come from hand-written rewordings per intent,
 * then operators drawn by a seeded PRNG: filler words (请问 / 你好 / 急), a product alias
 * (信用卡 → 卡), a common typo (账单 → 帐单, 发票 → 发漂), and clause reordering.
 *
 * Tuning and held-out are split by rewording: for each intent, rewordings at index 0, 4, 8 …
 * form the tuning set; every other rewording is held out. Nothing in the search code may be
 * changed by looking at held-out results (the bench prints them; only the tuning misses are
 * shown). Neither set's words are in rules/query.ts's SYNONYM_GROUPS (e-commerce words).
 */
import type { ManualArticle } from '../../server/src/modules/kb/fixtures/types.js';

type Kind = 'credit' | 'account' | 'service';

const PRODUCTS: Record<Kind, string[]> = {
  credit: [
    '花呗',
    '借呗',
    '信用卡',
    '网商贷',
    '备用金',
    '白条',
    '微粒贷',
    '房贷',
    '车贷',
    '消费贷',
  ],
  account: [
    '银行卡',
    '储蓄卡',
    '余额宝',
    '零钱通',
    '手机银行',
    '社保卡',
    '医保卡',
    '公积金',
    'ETC',
    '亲情卡',
  ],
  service: [
    '转账',
    '提现',
    '充值',
    '红包',
    '优惠券',
    '积分',
    '免密支付',
    '指纹支付',
    '数字证书',
    '定期理财',
  ],
};

/** Everyday names for a product (the alias operator). */
const ALIASES: Record<string, string[]> = {
  信用卡: ['卡', '信用卡片'],
  花呗: ['花贝', '蚂蚁花呗'],
  借呗: ['蚂蚁借呗'],
  公积金: ['住房公积金'],
  手机银行: ['银行app', '手机app'],
  储蓄卡: ['借记卡'],
  余额宝: ['余额宝里的钱'],
  ETC: ['etc卡'],
  房贷: ['房屋贷款'],
  车贷: ['汽车贷款'],
  免密支付: ['免密'],
  定期理财: ['理财'],
};

/** Common typos customers make (the typo operator). */
const TYPOS: [string, string][] = [
  ['账单', '帐单'],
  ['到账', '到帐'],
  ['额度', '额渡'],
  ['提现', '提线'],
  ['冻结', '冻洁'],
  ['逾期', '预期'],
  ['利息', '利西'],
  ['发票', '发漂'],
  ['分期', '分其'],
  ['绑定', '邦定'],
  ['注销', '注消'],
  ['手续费', '手续废'],
  ['密码', '密吗'],
  ['还款', '环款'],
];

interface Intent {
  key: string;
  kinds: Kind[];
  title: string;
  body: string;
  /** Customers' rewordings; {p} is the product. */
  asks: string[];
}

const INTENTS: Intent[] = [
  {
    key: 'repay',
    kinds: ['credit'],
    title: '{p}如何还款',
    body: '{p}支持主动还款和自动扣款。进入「{p}」页面点击「还款」，选择还款金额和付款方式确认即可；还款成功后额度实时恢复。',
    asks: [
      '{p}怎么还',
      '{p}的钱在哪里还',
      '用什么方式还{p}',
      '{p}欠的钱怎么还上',
      '{p}还钱入口在哪',
      '我要还{p}',
      '{p}去哪还',
      '{p}应该怎样还钱',
    ],
  },
  {
    key: 'early',
    kinds: ['credit'],
    title: '{p}可以提前还款吗',
    body: '{p}支持提前还清全部或部分欠款，提前还款不收取违约金，利息按实际使用天数计算。',
    asks: [
      '{p}能提前还吗',
      '{p}提前还清有没有违约金',
      '提前把{p}还完可以吗',
      '{p}没到期能先还吗',
      '{p}一次性还清',
      '钱够了想把{p}早点还掉',
      '{p}提前结清要手续费吗',
      '{p}能不能提早还',
    ],
  },
  {
    key: 'overdue',
    kinds: ['credit'],
    title: '{p}逾期会有什么影响',
    body: '{p}到期未还将产生逾期，每日收取罚息，并可能影响个人信用记录。逾期后请尽快还款，结清后停止计息。',
    asks: [
      '{p}晚还几天会怎样',
      '{p}没按时还有什么后果',
      '{p}过了还款日还没还',
      '{p}忘记还了怎么办',
      '{p}逾期了要紧吗',
      '{p}拖了一周没还',
      '{p}超过还款日期会罚钱吗',
      '{p}还晚了有罚息吗',
    ],
  },
  {
    key: 'limit',
    kinds: ['credit'],
    title: '如何提高{p}额度',
    body: '{p}额度由系统综合评估，按时还款、保持良好使用习惯有助于提升额度。可在「{p}」页面查看是否有提额机会。',
    asks: [
      '{p}额度太低怎么提',
      '{p}怎样提额',
      '{p}能给我多借点吗',
      '{p}额度能不能加',
      '为什么{p}额度一直不涨',
      '{p}的额度怎么才能高一点',
      '想把{p}额度调高',
      '{p}可用额度太少',
    ],
  },
  {
    key: 'credit-report',
    kinds: ['credit'],
    title: '{p}会上征信吗',
    body: '{p}的开通与使用记录会按规定报送至征信系统，按时还款不会产生不良记录。',
    asks: [
      '{p}影响征信吗',
      '用{p}查不查征信',
      '{p}会不会上人行征信',
      '{p}逾期会有征信污点吗',
      '{p}和征信有关系吗',
      '开{p}会被查信用报告吗',
      '{p}记录会进征信报告吗',
      '{p}对贷款买房有影响吗',
    ],
  },
  {
    key: 'installment',
    kinds: ['credit'],
    title: '{p}如何分期还款',
    body: '{p}账单出账后可申请分期，可选3、6、12期，每期收取一定的服务费，分期后不可取消。',
    asks: [
      '{p}能分几期还',
      '{p}怎么分期',
      '{p}账单能不能分成几个月还',
      '{p}分期要多少手续费',
      '{p}想分12期',
      '{p}这个月还不上能分期吗',
      '{p}账单分期怎么弄',
      '{p}分期以后能取消吗',
    ],
  },
  {
    key: 'interest',
    kinds: ['credit'],
    title: '{p}利息怎么计算',
    body: '{p}按日计息，利息=借款本金×日利率×实际使用天数，具体利率以借款页面展示为准。',
    asks: [
      '{p}利率多少',
      '{p}的利息是怎么算的',
      '{p}借一万一个月多少利息',
      '{p}日息是多少',
      '{p}年化利率高吗',
      '{p}每天收多少钱利息',
      '{p}利息贵不贵',
      '算一下{p}的利息',
    ],
  },
  {
    key: 'auto',
    kinds: ['credit'],
    title: '{p}自动还款如何设置',
    body: '在「{p}」-「设置」中开启自动还款并选择扣款顺序，到期日系统会自动从所选账户扣款。',
    asks: [
      '{p}能自动扣款吗',
      '{p}到期了会自己扣钱吗',
      '{p}怎么设置自动还',
      '{p}自动还款在哪开',
      '不想每次手动还{p}',
      '{p}怎么关掉自动扣款',
      '{p}自动还款从哪个卡扣',
      '{p}到期自动扣费设置',
    ],
  },
  {
    key: 'bill',
    kinds: ['credit', 'account'],
    title: '{p}账单在哪里查看',
    body: '打开「{p}」页面，点击「账单」即可查看本期和历史账单、每笔消费明细和应还金额。',
    asks: [
      '{p}账单怎么查',
      '哪里看{p}这个月要还多少',
      '{p}消费明细在哪',
      '{p}的账单明细怎么看',
      '查一下{p}上个月花了多少',
      '{p}本期应还金额',
      '{p}历史记录在哪里找',
      '{p}交易记录查询',
    ],
  },
  {
    key: 'open',
    kinds: ['credit', 'account', 'service'],
    title: '怎么开通{p}',
    body: '符合条件的用户可在App首页搜索「{p}」，阅读并同意协议后完成身份验证即可开通。',
    asks: [
      '{p}在哪开',
      '我想用{p}怎么申请',
      '{p}开通入口',
      '如何办理{p}',
      '{p}怎么激活',
      '新用户能开{p}吗',
      '{p}申请条件是什么',
      '第一次用{p}要怎么弄',
    ],
  },
  {
    key: 'close',
    kinds: ['credit', 'account', 'service'],
    title: '如何关闭{p}',
    body: '结清所有欠款和未完成交易后，可在「{p}」-「设置」-「关闭服务」中申请关闭，关闭后可重新开通。',
    asks: [
      '{p}不想用了怎么注销',
      '{p}怎么停掉',
      '取消{p}服务',
      '{p}能关掉吗',
      '把{p}销户',
      '我要注销{p}',
      '{p}关闭以后还能再开吗',
      '{p}停用流程',
    ],
  },
  {
    key: 'fee',
    kinds: ['account', 'service'],
    title: '{p}手续费是多少',
    body: '{p}在规定额度内免费，超出部分按金额的0.1%收取服务费，最低0.1元。',
    asks: [
      '用{p}要收费吗',
      '{p}收不收钱',
      '{p}要扣多少服务费',
      '{p}免费吗',
      '{p}为什么被扣了手续费',
      '{p}费率是多少',
      '{p}有免费额度吗',
      '{p}收费标准',
    ],
  },
  {
    key: 'arrival',
    kinds: ['account', 'service'],
    title: '{p}多久到账',
    body: '{p}一般2小时内到账，节假日或银行系统维护期间可能顺延至下一个工作日。',
    asks: [
      '{p}什么时候能到账',
      '{p}钱啥时候到',
      '{p}半天了还没到',
      '{p}要等几天',
      '{p}一直显示处理中',
      '{p}到账时间',
      '{p}多长时间能收到',
      '{p}怎么还没到账',
    ],
  },
  {
    key: 'frozen',
    kinds: ['credit', 'account', 'service'],
    title: '{p}被冻结了怎么办',
    body: '{p}因安全原因可能被临时限制。请在App内完成身份核验，或联系客服说明情况申请解除限制。',
    asks: [
      '{p}用不了了被冻住',
      '{p}为什么被限制使用',
      '{p}突然不能用了',
      '{p}提示账户异常',
      '{p}怎么解冻',
      '{p}被封了',
      '{p}受限怎么解除',
      '{p}显示暂停使用',
    ],
  },
  {
    key: 'password',
    kinds: ['account', 'service'],
    title: '{p}密码忘了怎么办',
    body: '在登录或支付页面点击「忘记密码」，通过短信验证码和人脸识别验证身份后即可重置{p}密码。',
    asks: [
      '{p}支付密码想不起来',
      '重置{p}密码',
      '{p}密码输错被锁了',
      '{p}怎么改密码',
      '{p}密码找回',
      '{p}交易密码不记得了',
      '{p}修改登录密码',
      '{p}密码多次错误',
    ],
  },
  {
    key: 'bind',
    kinds: ['credit', 'account', 'service'],
    title: '{p}怎么绑定银行卡',
    body: '进入「{p}」-「银行卡管理」，点击「添加银行卡」，输入卡号和预留手机号完成验证即可绑定；也可在此解绑或更换。',
    asks: [
      '{p}换绑卡',
      '{p}怎么加一张卡',
      '{p}解绑银行卡',
      '{p}绑的卡注销了怎么办',
      '{p}更换收款卡',
      '{p}关联银行卡在哪设置',
      '{p}添加储蓄卡',
      '{p}换一张卡扣款',
    ],
  },
  {
    key: 'refund',
    kinds: ['credit', 'service'],
    title: '{p}退款退到哪里',
    body: '使用{p}支付的订单退款，将原路退回{p}；已还款部分退回至原还款账户。',
    asks: [
      '用{p}买的东西退款去哪了',
      '{p}付的钱退回来在哪',
      '退货后{p}的钱怎么还我',
      '{p}退款没收到',
      '{p}退款原路返回吗',
      '{p}支付的退款多久到',
      '商家退款了{p}账单怎么没变',
      '{p}退的钱在哪看',
    ],
  },
  {
    key: 'limit-pay',
    kinds: ['account', 'service'],
    title: '{p}单笔限额是多少',
    body: '{p}单笔和单日限额与账户认证等级有关，可在「{p}」-「限额管理」中查看和调整。',
    asks: [
      '{p}一次最多能转多少',
      '{p}每天上限多少',
      '{p}超限额了怎么办',
      '{p}限额怎么调高',
      '{p}提示超过额度',
      '{p}一天能用多少',
      '{p}最高能付多少钱',
      '{p}单日限制',
    ],
  },
  {
    key: 'unavailable',
    kinds: ['credit', 'account', 'service'],
    title: '为什么我没有{p}',
    body: '{p}面向符合条件的用户开放，系统根据账户使用情况综合评估。暂未开通的用户可保持良好使用记录后再试。',
    asks: [
      '{p}开不了是什么原因',
      '我的账号里找不到{p}',
      '别人有{p}我为什么没有',
      '{p}显示不符合条件',
      '{p}申请被拒了',
      '为啥开通不了{p}',
      '{p}入口不见了',
      '{p}评估没通过',
    ],
  },
  {
    key: 'invoice',
    kinds: ['credit', 'service'],
    title: '{p}能开发票吗',
    body: '{p}产生的利息和服务费可申请电子发票，在「{p}」-「账单」-「开具发票」中填写抬头即可。',
    asks: [
      '{p}利息能开票吗',
      '{p}手续费要发票',
      '{p}怎么开电子发票',
      '{p}的服务费有发票吗',
      '{p}报销需要发票',
      '{p}开票在哪里申请',
      '{p}发票抬头怎么填',
      '{p}能开专票吗',
    ],
  },
];

const FILLERS_BEFORE = ['请问', '你好，', '我想问下', '急！', '客服，', '问一下'];
const FILLERS_AFTER = ['？', '啊', '，谢谢', '呢', '？急'];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface EvalPair {
  query: string;
  /** Key of the article that answers it. */
  key: string;
  /** The operators applied besides the rewording (for the report). */
  ops: string[];
  /** Which of the intent's rewordings it is (tuning: 0 or 4), for splits inside a set. */
  rewording?: number;
}

export interface EvalSet {
  articles: ManualArticle[];
  tuning: EvalPair[];
  heldOut: EvalPair[];
}

const fill = (template: string, p: string) => template.replaceAll('{p}', p);

/** The articles and both query sets. Deterministic. */
export function financeEval(): EvalSet {
  const random = prng(20261203);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const articles: ManualArticle[] = [];
  const tuning: EvalPair[] = [];
  const heldOut: EvalPair[] = [];
  for (const intent of INTENTS)
    for (const kind of intent.kinds)
      for (const p of PRODUCTS[kind]) {
        const key = `fin-${intent.key}-${p}`;
        articles.push({
          key,
          category: 'payments',
          type: 'faq',
          language: 'zh-CN',
          title: fill(intent.title, p),
          tags: [],
          body: fill(intent.body, p),
          audience: 'all_customers',
        });
        intent.asks.forEach((ask, i) => {
          const target = i % 4 === 0 ? tuning : heldOut;
          // Each rewording once as written, once more with operators drawn at random.
          target.push({ query: fill(ask, p), key, ops: [], rewording: i });
          const ops: string[] = [];
          let name = p;
          if (ALIASES[p] && random() < 0.4) {
            name = pick(ALIASES[p]);
            ops.push('alias');
          }
          let q = fill(ask, name);
          const typo = TYPOS.filter(([from]) => q.includes(from));
          if (typo.length && random() < 0.35) {
            const [from, to] = pick(typo);
            q = q.replace(from, to);
            ops.push('typo');
          }
          if (random() < 0.5) {
            q = pick(FILLERS_BEFORE) + q;
            ops.push('filler');
          }
          if (random() < 0.4) {
            q += pick(FILLERS_AFTER);
            ops.push('filler');
          }
          if (ops.length) target.push({ query: q, key, ops, rewording: i });
        });
      }
  return { articles, tuning, heldOut };
}
