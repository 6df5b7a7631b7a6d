/**
 * A large, realistic knowledge base for the search benchmark: product troubleshooting, delivery
 * per carrier and city, promotions, store policies, scripts and SOPs, in Chinese (80 %) and
 * English (20 %), built from the same service vocabulary as the seeded manual so that common
 * words (订单, 退货, 保修, delivery, refund …) match thousands of articles and ranking has real
 * work to do. Deterministic: a seeded PRNG, the same corpus every run.
 */
import type { ManualArticle } from '../server/src/modules/kb/fixtures/types.js';
import type { CategoryKey } from '../server/src/modules/kb/fixtures/types.js';
import type { ArticleType, Audience } from '../server/src/modules/kb/schemas.js';

/** mulberry32: small, fast, good enough to spread templates. */
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

const ZH_BRANDS = [
  '海川',
  '云帆',
  '青禾',
  '星迈',
  '拓新',
  '安途',
  '悦家',
  '南风',
  '北辰',
  '极光',
  '木森',
  '朗悦',
];
const ZH_PRODUCTS = [
  ['冰箱', '压缩机'],
  ['洗衣机', '电机'],
  ['空调', '压缩机'],
  ['电视', '屏幕'],
  ['热水器', '内胆'],
  ['油烟机', '电机'],
  ['洗碗机', '水泵'],
  ['微波炉', '磁控管'],
  ['电饭煲', '加热盘'],
  ['扫地机器人', '电池'],
  ['净水器', '滤芯'],
  ['吸尘器', '电机'],
  ['笔记本电脑', '主板'],
  ['平板电脑', '主板'],
  ['智能手表', '电池'],
  ['蓝牙耳机', '电池'],
  ['打印机', '打印头'],
  ['路由器', '主板'],
  ['电动牙刷', '电机'],
  ['加湿器', '雾化片'],
  ['空气净化器', '滤网'],
  ['咖啡机', '水泵'],
  ['电风扇', '电机'],
  ['投影仪', '光机'],
  ['智能门锁', '电池'],
  ['摄像头', '镜头'],
  ['手机', '主板'],
  ['电烤箱', '加热管'],
  ['破壁机', '电机'],
  ['儿童座椅', '卡扣'],
] as const;
const ZH_SYMPTOMS = [
  '无法开机',
  '噪音很大',
  '频繁报错',
  '充不进电',
  '漏水',
  '异味明显',
  '温度不稳定',
  '连不上网络',
  '屏幕闪烁',
  '按键失灵',
  '自动关机',
  '显示故障代码 E3',
  '遥控器没反应',
  '耗电太快',
  '启动很慢',
  '指示灯一直闪',
  '出水量变小',
  '外壳发烫',
  '配对失败',
  '升级后功能异常',
];
const ZH_FIXES = [
  '断电静置 5 分钟后重新启动',
  '检查电源插座和电源线是否松动',
  '在 App 中恢复出厂设置后重新绑定',
  '清洁滤网和出风口的灰尘',
  '确认安装位置水平并留出散热空间',
  '更新到最新固件版本',
  '更换新的电池或充电器再试',
  '检查进水阀是否完全打开',
  '长按复位键 10 秒',
  '关闭周边大功率电器避免干扰',
];
const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '苏州',
  '成都',
  '重庆',
  '武汉',
  '西安',
  '长沙',
  '郑州',
  '天津',
  '青岛',
  '济南',
  '沈阳',
  '大连',
  '哈尔滨',
  '长春',
  '昆明',
  '贵阳',
  '南宁',
  '福州',
  '厦门',
  '合肥',
  '南昌',
  '太原',
  '石家庄',
  '兰州',
  '银川',
  '西宁',
  '乌鲁木齐',
  '拉萨',
  '海口',
  '三亚',
  '宁波',
  '无锡',
  '佛山',
  '东莞',
  '温州',
  '泉州',
  '烟台',
  '徐州',
  '珠海',
  '中山',
  '惠州',
  '洛阳',
  '襄阳',
  '宜昌',
];
const CARRIERS = ['顺丰', '京东物流', '中通', '圆通', '韵达', '申通', '邮政', '德邦'];
const ZH_LOGISTICS = [
  '配送时效',
  '运费标准',
  '派送范围',
  '延误处理',
  '破损理赔',
  '改派与拦截',
  '上门取件',
  '签收规范',
];
const PROMOS = [
  '618 年中大促',
  '双十一',
  '双十二',
  '年货节',
  '开学季',
  '国庆黄金周',
  '会员日',
  '新人专享',
  '品牌日',
  '以旧换新',
  '周末秒杀',
  '满减狂欢',
  '家电节',
  '春季焕新',
  '清仓特卖',
];
const ZH_POLICIES = [
  [
    '七天无理由退货',
    '签收之日起 7 天内，商品完好、配件齐全的可申请无理由退货，寄回运费由买家承担。',
  ],
  ['十五天质量问题换货', '签收 15 天内出现非人为质量问题的，可申请换货，往返运费由我们承担。'],
  ['价格保护', '购买后 7 天内同一商品降价的，可申请价格保护，差价原路退回。'],
  ['发票开具', '订单完成后可在订单详情中申请电子发票，企业客户可申请增值税专用发票。'],
  ['退款到账', '退款审核通过后原路退回，银行卡 1–5 个工作日到账，支付宝和微信 1–3 个工作日。'],
  ['会员积分', '每消费 1 元获得 1 积分，积分可抵扣现金或兑换礼品，年底清零。'],
  ['优惠券使用', '优惠券需在有效期内使用，每单限用一张，不可与部分活动叠加。'],
  ['上门安装', '大家电签收后 48 小时内预约上门安装，安装费以商品页说明为准。'],
  ['以旧换新回收', '旧机由合作回收商上门评估，回收款在新机签收后发放到账户余额。'],
  ['分期付款', '单笔满 600 元可使用信用卡或花呗分期，支持 3、6、12 期。'],
] as const;
const ZH_SCENARIOS = [
  '客户情绪激动',
  '客户要求赔偿',
  '物流延误催单',
  '退款迟迟未到账',
  '重复投诉',
  '客户威胁曝光',
  '电话无人接听回访',
  '夜间值班咨询',
  'VIP 客户来电',
  '商品缺货致歉',
];
const ZH_FILLER = [
  '如需进一步帮助，请联系在线客服或拨打服务热线。',
  '处理过程中请保持电话畅通，我们会在 24 小时内与您联系。',
  '请在申请时上传商品照片和订单截图，以便加快审核。',
  '节假日期间处理时效可能顺延，请以系统通知为准。',
  '如对处理结果有异议，可申请主管复核，复核结果 3 个工作日内答复。',
  '请勿将商品直接寄回发货地址，否则可能无法签收。',
  '部分偏远地区不支持上门服务，下单时页面会有提示。',
  '客服会在系统中记录每一次沟通内容，方便后续跟进。',
  '请妥善保管购买凭证，维修和退换货时需要提供。',
  '我们会根据反馈持续改进服务流程和手册内容。',
  '同一问题多次出现的，可申请升级处理并由专人跟进。',
  '为保护您的账户安全，客服不会索要短信验证码或支付密码。',
];

const EN_PRODUCTS = [
  'fridge',
  'washing machine',
  'air conditioner',
  'TV',
  'water heater',
  'dishwasher',
  'microwave',
  'rice cooker',
  'robot vacuum',
  'water purifier',
  'laptop',
  'tablet',
  'smartwatch',
  'earbuds',
  'printer',
  'router',
  'electric toothbrush',
  'humidifier',
  'air purifier',
  'coffee machine',
];
const EN_SYMPTOMS = [
  'will not turn on',
  'is very noisy',
  'keeps showing an error code',
  'does not charge',
  'is leaking water',
  'loses its Wi-Fi connection',
  'screen flickers',
  'buttons do not respond',
  'switches itself off',
  'battery drains quickly',
];
const EN_TOPICS = [
  [
    'Returns within 7 days',
    'Unused items with all accessories can be returned within 7 days of delivery; the customer pays return postage.',
  ],
  [
    'Refund timing',
    'Refunds go back to the original payment method: 1–5 working days for bank cards.',
  ],
  ['Delivery charges', 'Orders of 99 yuan or more ship free; remote regions pay a surcharge.'],
  [
    'Warranty claims',
    'Keep your order number or invoice; repairs within the warranty period are free.',
  ],
  ['Invoices for companies', 'Companies can request special VAT invoices with their taxpayer ID.'],
  ['Loyalty points', 'Earn one point per yuan and redeem points as cash or for gifts.'],
  [
    'Coupon rules',
    'One coupon per order, within its validity period, when the order reaches the minimum.',
  ],
  [
    'Damaged parcels',
    'Refuse a visibly damaged parcel at the door and take photos of the packaging.',
  ],
] as const;
const EN_FILLER = [
  'If you need more help, contact live chat or call our hotline.',
  'Please keep your phone available; we will contact you within 24 hours.',
  'Upload photos of the item and a screenshot of the order to speed up the review.',
  'During public holidays processing times may be longer.',
  'If you disagree with the outcome, you can ask a supervisor to review it.',
  'Never send the item back to the shipping address on the parcel.',
  'Our agents never ask for SMS codes or payment passwords.',
];

const ARTICLE_TYPES: ArticleType[] = ['faq', 'faq', 'faq', 'policy', 'sop', 'standard', 'script'];
const CATEGORY_OF: Record<string, CategoryKey> = {
  product: 'warranty',
  logistics: 'delivery',
  promo: 'payments',
  policy: 'returns',
  script: 'standards',
};

/** `count` articles; keys `bench-<n>`. About 300 characters of body each. */
export function benchArticles(count: number, offset = 0, seed = 20261125): ManualArticle[] {
  const rand = prng(seed + offset);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const filler = (list: readonly string[], n: number) =>
    Array.from({ length: n }, () => pick(list)).join('');
  const audience = (): Audience => {
    const r = rand();
    return r < 0.85 ? 'all_customers' : r < 0.95 ? 'internal' : 'tier:vip';
  };
  const out: ManualArticle[] = [];
  for (let i = 0; i < count; i += 1) {
    const key = `bench-${offset + i}`;
    const kind = rand();
    if (rand() < 0.2) {
      // English
      if (kind < 0.6) {
        const product = pick(EN_PRODUCTS);
        const symptom = pick(EN_SYMPTOMS);
        out.push({
          key,
          category: 'warranty',
          type: 'faq',
          language: 'en-US',
          title: `${pick(['Aurora', 'Northwind', 'Tideway', 'Maple'])} ${product} ${symptom}`,
          tags: ['troubleshooting', product.split(' ')[0]!],
          body: `## What to try\n\nIf your ${product} ${symptom}, first restart it and check the power cable. ${filler(EN_FILLER, 2)}\n\n## Warranty\n\nThe ${product} is covered for one year; repairs after that are charged for parts and labour. ${filler(EN_FILLER, 1)}`,
          audience: audience(),
        });
      } else {
        const [topic, text] = pick(EN_TOPICS);
        out.push({
          key,
          category: 'returns',
          type: 'policy',
          language: 'en-US',
          title: `${topic} — ${pick(PROMOS.slice(0, 6))} edition ${1 + (i % 50)}`,
          tags: [topic.split(' ')[0]!.toLowerCase()],
          body: `${text} ${filler(EN_FILLER, 3)}`,
          audience: audience(),
        });
      }
      continue;
    }
    if (kind < 0.4) {
      const brand = pick(ZH_BRANDS);
      const [product, part] = pick(ZH_PRODUCTS);
      const symptom = pick(ZH_SYMPTOMS);
      out.push({
        key,
        category: CATEGORY_OF.product!,
        type: pick(ARTICLE_TYPES),
        language: 'zh-CN',
        title: `${brand}${product}${symptom}的处理方法`,
        tags: [product, '故障', brand],
        body: `## 问题描述\n\n${brand}${product}使用中出现“${symptom}”。\n\n## 处理步骤\n\n1. ${pick(ZH_FIXES)}\n2. ${pick(ZH_FIXES)}\n3. 仍未解决的，在“售后服务”中预约维修，并说明购买时间和故障现象。\n\n## 保修说明\n\n整机保修 1 年，${part}保修 ${pick([2, 3, 5, 10])} 年，以签收日期起算。${filler(ZH_FILLER, 2)}`,
        audience: audience(),
      });
    } else if (kind < 0.65) {
      const carrier = pick(CARRIERS);
      const city = pick(CITIES);
      const topic = pick(ZH_LOGISTICS);
      out.push({
        key,
        category: CATEGORY_OF.logistics!,
        type: 'faq',
        language: 'zh-CN',
        title: `${carrier}${city}${topic}说明`,
        tags: ['物流', carrier, city],
        body: `${carrier}发往${city}的包裹，付款后一般 ${1 + Math.floor(rand() * 5)} 天送达市区，区县再加 1 天。${topic}以${carrier}官方规则为准。物流信息超过 48 小时没有更新的，请联系客服核实。${filler(ZH_FILLER, 3)}`,
        audience: audience(),
      });
    } else if (kind < 0.8) {
      const promo = pick(PROMOS);
      const [product] = pick(ZH_PRODUCTS);
      out.push({
        key,
        category: CATEGORY_OF.promo!,
        type: 'policy',
        language: 'zh-CN',
        title: `${promo}${product}优惠活动说明（第 ${1 + (i % 30)} 期）`,
        tags: ['活动', '优惠', product],
        body: `${promo}期间${product}满 ${pick([199, 299, 399, 999])} 减 ${pick([20, 30, 50, 100])}，可与店铺优惠券同时使用。活动商品同样支持七天无理由退货，退货时按实际支付金额退款。${filler(ZH_FILLER, 3)}`,
        audience: audience(),
      });
    } else if (kind < 0.93) {
      const [policy, text] = pick(ZH_POLICIES);
      const city = pick(CITIES);
      out.push({
        key,
        category: CATEGORY_OF.policy!,
        type: 'policy',
        language: 'zh-CN',
        title: `${city}门店${policy}细则`,
        tags: [policy, city],
        body: `${text}${city}门店自提或线下购买的订单同样适用，请携带购买凭证到店办理。${filler(ZH_FILLER, 3)}`,
        audience: audience(),
      });
    } else {
      const scenario = pick(ZH_SCENARIOS);
      out.push({
        key,
        category: CATEGORY_OF.script!,
        type: rand() < 0.5 ? 'script' : 'sop',
        language: 'zh-CN',
        title: `${scenario}的接待话术（第 ${1 + (i % 20)} 版）`,
        tags: ['话术', scenario],
        body: `## 场景\n\n${scenario}。\n\n## 推荐话术\n\n“非常理解您的心情，我马上为您核实处理。”\n“给您带来不便非常抱歉，我们会在约定时间内回复您。”\n\n## 注意\n\n不得使用“这不是我的职责”“你自己看说明”等禁用语。${filler(ZH_FILLER, 2)}`,
        audience: 'internal',
      });
    }
  }
  return out;
}
