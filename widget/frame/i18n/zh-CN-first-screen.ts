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
  waitingForBank: '正在等待银行答复…',
  errorBankWindowBlocked: '浏览器拦截了银行窗口。请允许此网站弹出窗口，然后再次点击“支付”。',
  waitingForReview: '正在等待核查完成…',
  paymentCanceled: '付款已取消',
  paymentCanceledBody: (payee: string) => `${payee}已取消这笔付款，未扣任何款项。`,
  paymentCanceledByMerchant: '商家已取消这笔付款，未扣任何款项。',
  waitingForPasskey: '正在等待您的通行密钥…',

  errorPasskeyCancelled: '通行密钥请求已取消或超时，请重试。',
  errorPasskeyUnsupported: '此浏览器无法在这里使用通行密钥。',
  errorNetwork: '无法连接 Paykey。请检查网络连接后重试。',
  errorGeneric: '出了点问题，请重试。',
  errorCardUnknown: '您保存的银行卡有变化，请重新登录。',
  errorSessionExpired: '请再次使用通行密钥继续。',
  errorIntentMismatch: '此结账页面与其付款不匹配。',
  errorUnavailable: '此结账页面不可用。',
  errorFrameObscured: '“支付”按钮被隐藏或遮挡，因此未付款。请让它完全显示后再点击。',

  showsServerMessages: false,
  codeMessages: {
    card_declined: '您的银行拒绝了这张卡。请换一张卡，或联系您的银行。',
    insufficient_funds: '此卡余额不足。请换一张卡。',
    expired_card: '此卡已过期。请换一张卡。',
    incorrect_cvc: '安全码不正确。请检查后重试。',
    invalid_card: '此卡无法使用。请检查卡信息或换一张卡。',
    processing_error: '您的银行无法处理这笔付款。请重试或换一张卡。',
    invalid_card_details: '请检查银行卡信息后重试。',
    card_not_supported: '我们的合作银行均未发行此卡。请换一张卡。',
    card_unavailable: '此卡无法支付这笔款项。请选择其他银行卡。',
    card_limit_reached: '您的钱包已满。请先移除一张卡再添加。',
    consent_rejected: '您的银行未批准这笔付款，未扣任何款项。',
    consent_expired: '银行批准在使用前已过期，未扣任何款项。',
    payment_rejected: '您的银行拒绝了这笔付款，未扣任何款项。',
    consent_window_closed: '您在批准前关闭了银行窗口，未扣任何款项。',
    rate_limited: '尝试次数过多。请稍候再试。',
    bank_unavailable: '您的银行暂时没有响应。请稍后重试。',
    authentication_locked: '失败次数过多：为了您的安全，这笔付款已被锁定。',
    session_expired: '请再次使用通行密钥继续。',
    session_invalid: '请再次使用通行密钥继续。',
  } as Record<string, string>,

  // ——— Below: one commented block per part of the frame ("flow", "brand", "screens"), mirrored from en.ts. ———

  // ——— "flow" (app/checkout-flow.ts, app/paykey-wallet.ts): quotes, receipt, the shopper's own views ———
  termsChanged: '此笔付款的价格已更新。请核对后再次点击“支付”。',
  viewReceipt: '查看收据',
  accountNav: '您的钱包',
  paymentsNav: '付款记录',
  manageCardsNav: '管理银行卡',
  signOutNav: '在此设备上退出登录',
  titleOf: (screen: string, wallet: string) => `${screen} – ${wallet}`,
} satisfies FirstScreenMessages;
