import type { FirstScreenMessages } from './en-first-screen.ts';

/**
 * `en-first-screen.ts` in Simplified Chinese: what a Chinese-speaking new shopper's first screen needs, loaded on its
 * own (`loadFirstScreenMessages`) so that the rest of the table waits for the screens that show it.
 */
export const zhCNFirstScreen = {
  frameTitle: 'Paykey 钱包',
  loading: '正在加载…',
  cancel: '取消',

  signInTitle: '使用通行密钥付款',
  signInIntro: '使用此设备上保存的通行密钥，或者花几秒钟创建一个。',
  whatIsAPasskey: '通行密钥代替密码：您用指纹、面容或屏幕锁确认，它永远不会离开您的设备。',
  merchantNeverSeesCard: '商家永远看不到您的卡号：只有 Paykey 和您的银行能看到。',
  largerText: '大字体',
  continueWithPasskey: '使用通行密钥继续',
  createAPasskey: '创建通行密钥',
  email: '电子邮箱',
  emailInvalid: '请输入有效的电子邮箱地址。',
  createPasskey: '创建通行密钥',
  paymentCanceled: '付款已取消',
  paymentCanceledBody: (payee: string) => `${payee}已取消这笔付款，未扣任何款项。`,
  paymentCanceledByMerchant: '商家已取消这笔付款，未扣任何款项。',
  waitingForPasskey: '正在等待您的通行密钥…',

  errorPasskeyCancelled: '通行密钥请求已取消或超时，请重试。',
  errorPasskeyUnsupported: '此浏览器无法在这里使用通行密钥。',
  errorNetwork: '无法连接 Paykey。请检查网络连接后重试。',
  errorGeneric: '出了点问题，请重试。',
  errorIntentMismatch: '此结账页面与其付款不匹配。',
  errorUnavailable: '此结账页面不可用。',

  showsServerMessages: false,

  // ——— Below: one commented block per part of the frame ("flow", "brand", "screens"), mirrored from en.ts. ———

  // ——— "flow" (app/paykey-wallet.ts): the document title ———
  titleOf: (screen: string, wallet: string) => `${screen} – ${wallet}`,
} satisfies FirstScreenMessages;
