import { en } from '../../widget/frame/i18n/en.ts';
import { formatDateTime } from '../../widget/frame/i18n/format-date-time.ts';
import { isWholeTable, loadFirstScreenMessages, loadMessages, matchLocale, resolveLocale, type Locale, type Messages } from '../../widget/frame/i18n/messages.ts';
import { brandName, localized } from '../../widget/frame/i18n/localized.ts';
import { messageForCode } from '../../widget/frame/app/describe-error.ts';
import { formatAmount } from '../../widget/frame/money/format-amount.ts';
import { PaykeyCardForm } from '../../widget/frame/card-form/paykey-card-form.ts';
import { PaykeyRegister } from '../../widget/frame/sign-in/paykey-register.ts';
import { PaykeyResult } from '../../widget/frame/result/paykey-result.ts';
import { PaykeySignIn } from '../../widget/frame/sign-in/paykey-sign-in.ts';
import { equal, match, ok } from './support/assert.ts';
import { byLabel, byRole, cleanup, mountScreen } from './support/dom.ts';

// Intl separates some currency symbols with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('resolveLocale', () => {
  // [locale attribute, browser languages, expected]
  const table: [string | null | undefined, string[], Locale][] = [
    // The attribute first, whatever the browser says.
    ['zh-CN', ['en-US'], 'zh-CN'],
    ['en', ['zh-CN'], 'en'],
    // The Simplified-Chinese fallback chain.
    ['zh', [], 'zh-CN'],
    ['zh-Hans', [], 'zh-CN'],
    ['zh-Hans-CN', [], 'zh-CN'],
    ['zh-Hans-HK', [], 'zh-CN'],
    ['zh-Hans-SG', [], 'zh-CN'],
    ['zh-SG', [], 'zh-CN'],
    ['zh-MY', [], 'zh-CN'],
    ['ZH-cn', [], 'zh-CN'],
    ['zh_CN', [], 'zh-CN'],
    // en-* → en.
    ['en-GB', ['zh-CN'], 'en'],
    ['en-US', [], 'en'],
    ['EN-au', [], 'en'],
    // Traditional Chinese is not Simplified: the next language the shopper reads, English at the end.
    ['zh-TW', [], 'en'],
    ['zh-Hant', [], 'en'],
    ['zh-HK', [], 'en'],
    ['zh-Hant-TW', ['zh-CN'], 'zh-CN'],
    ['zh-TW', ['zh-TW', 'zh', 'en'], 'zh-CN'],
    // No attribute (or one the frame does not speak): the browser's languages in order.
    [null, ['fr-FR', 'zh-CN', 'en'], 'zh-CN'],
    [undefined, ['fr-FR', 'en-GB', 'zh-CN'], 'en'],
    ['', ['zh'], 'zh-CN'],
    ['fr', ['zh-SG'], 'zh-CN'],
    ['de', ['ja', 'ko'], 'en'],
    [null, [], 'en'],
    // Not a language tag at all.
    ['*', ['not a tag', 'zh-Hans'], 'zh-CN'],
    ['english', [], 'en'],
  ];
  for (const [requested, browser, expected] of table) {
    it(`${JSON.stringify(requested)} with browser ${JSON.stringify(browser)} → ${expected}`, () => {
      equal(resolveLocale(requested, browser), expected);
    });
  }

  it('answers the common tags without Intl (its likely-subtags data loads slowly) and the same as with it', () => {
    const maximize = Intl.Locale.prototype.maximize;
    let calls = 0;
    Intl.Locale.prototype.maximize = function (this: Intl.Locale) {
      calls++;
      return maximize.call(this);
    };
    try {
      for (const [tag, expected] of [['en', 'en'], ['EN-us', 'en'], ['en_GB', 'en'], ['zh', 'zh-CN'], ['zh-CN', 'zh-CN'], ['zh_cn', 'zh-CN'], ['zh-Hans', 'zh-CN'], ['zh-Hans-CN', 'zh-CN']] as const) {
        equal(matchLocale(tag), expected, tag);
        equal(matchLocale(tag), new Intl.Locale(tag.replace(/_/g, '-')).maximize().language === 'en' ? 'en' : 'zh-CN', `${tag}, as Intl says`);
      }
      const before = calls;
      equal(resolveLocale('en', ['zh-CN']), 'en');
      equal(resolveLocale(undefined, ['zh-CN', 'en']), 'zh-CN');
      equal(calls, before, 'no maximize for the common tags');
      equal(matchLocale('zh-TW'), null);
      ok(calls > before, 'other tags still go through Intl');
    } finally {
      Intl.Locale.prototype.maximize = maximize;
    }
  });

  it('matches one tag or says it has no table for it', () => {
    equal(matchLocale('zh-SG'), 'zh-CN');
    equal(matchLocale('en-IN'), 'en');
    equal(matchLocale('zh-TW'), null);
    equal(matchLocale('fr'), null);
    equal(matchLocale(''), null);
  });
});

/** Every key of `en`, nested one level for the brand names. */
function keysOf(m: Messages): string[] {
  return Object.entries(m).flatMap(([key, value]) =>
    value && typeof value === 'object' ? Object.keys(value).map((k) => `${key}.${k}`) : [key],
  );
}

describe('the first screen\'s part and the whole table', () => {
  it('tells them apart, and a server code on the part alone reads as the general message in the shopper\'s language', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const [part, whole] = await Promise.all([loadFirstScreenMessages(locale), loadMessages(locale)]);
      equal(isWholeTable(part), false, `${locale}: the first screen's part`);
      equal(isWholeTable(whole), true, `${locale}: the whole table`);
      const code = Object.keys(whole.codeMessages)[0]!;
      // zh-CN replaces the server's English message by its own text; on the part alone it has none but the general one.
      equal(messageForCode(part, code, 'English from the server'), locale === 'en' ? 'English from the server' : part.errorGeneric);
      equal(messageForCode(whole, code, 'English from the server'), locale === 'en' ? 'English from the server' : whole.codeMessages[code]);
    }
  });
});

describe('the zh-CN table', () => {
  it('is loaded on demand, and has every key of en with the same kind of value, translated', async () => {
    const zh = await loadMessages('zh-CN');
    equal(await loadMessages('en'), en);
    equal(await loadMessages('zh-CN'), zh, 'loaded once');
    const enKeys = keysOf(en);
    const zhKeys = keysOf(zh);
    equal(zhKeys.filter((k) => !enKeys.includes(k)).join(), '', 'keys only in zh-CN');
    equal(enKeys.filter((k) => !zhKeys.includes(k)).join(), '', 'keys missing from zh-CN');
    const untranslated: string[] = [];
    for (const key of Object.keys(en) as (keyof Messages)[]) {
      const e = en[key];
      const z = zh[key];
      equal(typeof z, typeof e, `${key}: the same kind of value`);
      if (typeof e === 'function') {
        equal((z as (...a: never[]) => string).length, e.length, `${key}: the same parameters`);
        // Called with sample arguments, each still shows up in the Chinese text.
        const args = Array.from({ length: e.length }, (_, i) => `ARG${i}`);
        const text = (z as (...a: string[]) => string)(...args);
        for (const arg of args) ok(text.includes(arg) || key === 'cvcInvalid' || key === 'fieldsToFix', `${key}: ${arg} appears in ${text}`);
        if (text === (e as (...a: string[]) => string)(...args)) untranslated.push(key);
      } else if (typeof e === 'string') {
        ok((z as string).trim(), `${key}: not empty`);
        if (z === e) untranslated.push(key);
      }
    }
    // What stays the same in both languages on purpose: the date pattern typed into the field, the title's pattern.
    const samePurposely = ['expiryHint', 'titleOf'];
    equal(untranslated.filter((key) => !samePurposely.includes(key)).join(), '', 'strings still in English in zh-CN');
    equal(zh.cvcInvalid(4), '请输入 4 位安全码。');
    equal(zh.fieldsToFix(2), '有 2 项需要修改。');
  });

  it('uses the issue\'s exact Chinese names for the controls merchants\' tests look for', async () => {
    const zh = await loadMessages('zh-CN');
    equal(zh.continueWithPasskey, '使用通行密钥继续');
    equal(zh.createAPasskey, '创建通行密钥');
    equal(zh.email, '电子邮箱');
    equal(zh.addCard, '添加银行卡');
    equal(zh.cardNumber, '卡号');
    equal(zh.expiryDate, '有效期');
    equal(zh.securityCode, '安全码');
    equal(zh.nameOnCard, '持卡人姓名');
    equal(zh.saveCard, '保存银行卡');
    equal(zh.paymentComplete, '支付成功');
    equal(zh.cancel, '取消');
    match(zh.pay(formatAmount(2500, 'USD', 'zh-CN', 2)), /^支付 ?US\$25\.00$/);
    match(zh.pay(formatAmount(18079, 'CNY', 'zh-CN', 2)), /^支付 ?¥180\.79$/);
  });
});

describe('the screens in Chinese', () => {
  afterEach(cleanup);

  it('sign-in: the heading, both buttons and the email field by their Chinese names', async () => {
    const zh = await loadMessages('zh-CN');
    const el = new PaykeySignIn();
    el.messages = zh;
    await mountScreen(el, { lang: 'zh-CN' });
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), zh.signInTitle);
    ok(byRole(el, 'button', '使用通行密钥继续'));
    byRole(el, 'button', '创建通行密钥').click();
    let register: PaykeyRegister | null = null;
    for (let i = 0; i < 100 && !register; i++) {
      await new Promise((r) => setTimeout(r, 20));
      register = el.shadowRoot!.querySelector('paykey-register');
    }
    ok(register, 'the registration form opened');
    await register.updateComplete;
    equal(byLabel(el, '电子邮箱').type, 'email');
    ok(byRole(el, 'button', zh.createPasskey));
  });

  it('card form: every field and Save card by their Chinese names', async () => {
    const zh = await loadMessages('zh-CN');
    const el = new PaykeyCardForm();
    el.messages = zh;
    await mountScreen(el, { lang: 'zh-CN' });
    equal(byLabel(el, '卡号').autocomplete, 'cc-number');
    equal(byLabel(el, '有效期').autocomplete, 'cc-exp');
    equal(byLabel(el, '安全码').autocomplete, 'cc-csc');
    equal(byLabel(el, '持卡人姓名').autocomplete, 'cc-name');
    equal(byLabel(el, '保存银行卡').type, 'checkbox');
    ok(byRole(el, 'button', zh.useThisCard));
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), '添加银行卡');
  });

  it('result: 支付成功 with the amount in Chinese formatting', async () => {
    const zh = await loadMessages('zh-CN');
    const el = new PaykeyResult();
    el.messages = zh;
    el.ok = true;
    el.heading = zh.paymentComplete;
    el.body = zh.paymentCompleteBody(formatAmount(18079, 'CNY', 'zh-CN', 2), '龙井茶庄');
    await mountScreen(el, { lang: 'zh-CN' });
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), '支付成功');
    equal(el.shadowRoot!.querySelector('#body')!.textContent!.trim(), '已向龙井茶庄支付 ¥180.79。');
  });
});

describe('formats for the locale', () => {
  it('amounts through Intl with the server\'s minor-unit digits', () => {
    equal(formatAmount(2500, 'USD', 'zh-CN', 2), 'US$25.00');
    equal(formatAmount(18079, 'CNY', 'zh-CN', 2), '¥180.79');
    equal(formatAmount(2500, 'USD', 'en', 2), '$25.00');
    equal(plain(formatAmount(18079, 'CNY', 'en', 2)), 'CN¥180.79');
    // The digits are the server's, even when Intl would show others (HUF: Intl 0, ISO 4217 2).
    equal(plain(formatAmount(123456, 'HUF', 'zh-CN', 2)), 'HUF 1,234.56');
  });

  it('dates and times in the shopper\'s language', () => {
    equal(formatDateTime('2026-12-01T14:05:00Z', 'zh-CN', 'UTC'), '2026年12月1日 14:05');
    equal(plain(formatDateTime('2026-12-01T14:05:00Z', 'en', 'UTC')), 'Dec 1, 2026, 2:05 PM');
  });

  it('refuses a date that is not one, rather than showing "Invalid Date"', () => {
    let error: unknown;
    try {
      formatDateTime('yesterday', 'en');
    } catch (e) {
      error = e;
    }
    match(String(error), /expected an ISO 8601 date-time, got "yesterday"/);
  });

  it('bank names per locale, English when the bank has no Chinese name', () => {
    equal(localized({ en: 'Lotus Bank', 'zh-CN': '莲花银行' }, 'zh-CN'), '莲花银行');
    equal(localized({ en: 'Lotus Bank', 'zh-CN': '莲花银行' }, 'en'), 'Lotus Bank');
    equal(localized({ en: 'Sandbox Bank' }, 'zh-CN'), 'Sandbox Bank');
  });

  it('card brands per locale', async () => {
    const zh = await loadMessages('zh-CN');
    equal(brandName(zh, 'AMEX'), '美国运通');
    equal(brandName(en, 'amex'), 'American Express');
    equal(brandName(zh, 'unionpay'), 'unionpay', 'an unknown code is shown as it is');
  });
});
