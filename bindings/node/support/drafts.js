'use strict';
// Deterministic drafts for the tests and the benchmark: a small seeded PRNG
// and builders of texts that mix ASCII, CJK, astral chars, combining marks
// and planted terms.

/**
 * mulberry32: a 32-bit seeded PRNG, uniform in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = {
  ascii: ['hello', 'abc', 'WeChat', ' ', '\n', '\r\n', '\0', '2026', 'http://example.com/x', 'a.b@c.cn', '!', ','],
  cjk: ['本店', '今天', '学校', '通知', '新闻', '发布', '工作', '会议', '市民', '，', '。', '：', '“', '”'],
  astral: ['😀', '𠀀', '𠮷', '👨‍👩‍👧', '🇨🇳', '𝄞'],
  combining: ['e\u0301', 'a\u0300\u0323', '\u0301', '出\u0308'],
  planted: ['出售冰毒', '傻逼', '加微信abc12345', '13812345678', '出😀售冰毒', '傻\u200b逼'],
};
const KINDS = Object.keys(PIECES);

/**
 * A random text of about `pieces` pieces.
 * @param {() => number} rand
 * @param {number} pieces
 */
function randomText(rand, pieces) {
  let s = '';
  for (let i = 0; i < pieces; i++) {
    const kind = KINDS[Math.floor(rand() * KINDS.length)];
    const list = PIECES[kind];
    s += list[Math.floor(rand() * list.length)];
  }
  return s;
}

const PARAGRAPHS = [
  '本市今日召开新闻发布会，通报近期重点工作进展情况。市政府有关负责同志介绍，今年以来全市经济运行总体平稳，',
  '各项民生实事稳步推进，城乡居民收入持续增长。下一步，我们将继续深化改革，优化营商环境，切实保障和改善民生。',
  '据新华社报道，全国各地积极开展志愿服务活动，广大市民踊跃参与，社区环境焕然一新。',
  '有网友反映某小区物业服务不到位，相关部门已介入调查，将依法依规处理，并及时向社会公布结果。',
  '本店出售冰毒，量大从优，有意者加微信abc12345详谈。',
  '学校将于下周组织安全教育主题班会，请各班主任提前做好准备，联系电话13812345678。',
];

/**
 * A deterministic Chinese draft of about `bytes` UTF-8 bytes.
 * @param {number} seed
 * @param {number} bytes
 */
function draft(seed, bytes) {
  const rand = prng(seed);
  let s = '';
  while (Buffer.byteLength(s) < bytes) {
    s += PARAGRAPHS[Math.floor(rand() * PARAGRAPHS.length)];
    if (rand() < 0.2) s += '\n';
  }
  return s;
}

module.exports = { prng, randomText, draft };
