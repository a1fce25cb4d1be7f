import type { Messages } from './en.ts';

/**
 * Every string of the wallet frame in Simplified Chinese (`zh-CN`), key for key the shape of `en.ts`. Loaded as its
 * own chunk only when the frame speaks Chinese (`loadMessages`). The control names are the ones merchants' own tests
 * look for: 使用通行密钥继续, 创建通行密钥, 电子邮箱, 添加银行卡, 卡号, 有效期, 安全码, 持卡人姓名, 保存银行卡,
 * 支付 + amount, 支付成功, 取消.
 */
export const zhCN = {
  frameTitle: 'Paykey 钱包',
  documentTitle: (screen: string) => `${screen} – Paykey 钱包`,
  loading: '正在加载…',
  cancel: '取消',
  back: '返回',

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

  addCardTitle: '添加银行卡',
  cardNumber: '卡号',
  expiryDate: '有效期',
  expiryHint: 'MM/YY',
  securityCode: '安全码',
  nameOnCard: '持卡人姓名',
  saveCard: '保存银行卡',
  saveCardHint: '保存此卡，以便下次付款使用。不勾选时，此卡仅用于本次付款，不会被保存。',
  useThisCard: '使用此卡',
  cardNumberInvalid: '请输入有效的卡号。',
  expiryInvalid: '请按 MM/YY 格式输入有效期。',
  expiryPast: '此卡已过期。',
  cvcInvalid: (digits: number) => `请输入 ${digits} 位安全码。`,
  nameRequired: '请输入持卡人姓名。',
  fieldsToFix: (count: number) => `有 ${count} 项需要修改。`,

  confirmTitle: '确认付款',
  payTo: '收款方',
  amount: '金额',
  chooseCard: '付款方式',
  cardLabel: (brand: string, last4: string, exp: string) => `${brand}，尾号 ${last4}，有效期至 ${exp}`,
  addCard: '添加银行卡',
  pay: (amount: string) => `支付 ${amount}`,
  payPending: '支付',
  issuedBy: (bank: string) => `由${bank}发行的银行卡`,

  paymentComplete: '支付成功',
  paymentCompleteBody: (amount: string, payee: string) => `已向${payee}支付 ${amount}。`,
  paymentFailed: '支付未完成',
  tryAnotherCard: '换一张卡',
  processing: '正在处理您的付款…',
  processingTitle: '您的银行正在确认这笔付款',
  processingBody: '这可能需要几分钟。',
  reviewTitle: '您的付款正在核查中',
  reviewBody: '正在核查银行的答复，这可能需要一些时间。',
  doNotPayAgain: '请不要重复付款。',
  merchantWillConfirm: (payee: string) => `${payee}会与您确认付款结果。`,
  waitingForBank: '正在等待银行答复…',
  payByBank: (bank: string) => `通过${bank}银行转账付款`,
  waitingForBankApproval: (bank: string) => `正在等待${bank}…请在银行窗口中批准付款。`,
  errorBankWindowBlocked: '浏览器拦截了银行窗口。请允许此网站弹出窗口，然后再次点击“支付”。',
  waitingForReview: '正在等待核查完成…',
  paymentCanceled: '付款已取消',
  paymentCanceledBody: (payee: string) => `${payee}已取消这笔付款，未扣任何款项。`,
  paymentCanceledByMerchant: '商家已取消这笔付款，未扣任何款项。',
  waitingForPasskey: '正在等待您的通行密钥…',
  savingCard: '正在添加您的银行卡…',

  errorPasskeyCancelled: '通行密钥请求已取消或超时，请重试。',
  errorPasskeyUnsupported: '此浏览器无法在这里使用通行密钥。',
  errorNetwork: '无法连接 Paykey。请检查网络连接后重试。',
  errorGeneric: '出了点问题，请重试。',
  errorCardUnknown: '您保存的银行卡有变化，请重新登录。',
  errorSessionExpired: '请再次使用通行密钥继续。',
  errorIntentMismatch: '此结账页面与其付款不匹配。',
  errorUnavailable: '此结账页面不可用。',
  errorFrameObscured: '“支付”按钮被隐藏或遮挡，因此未付款。请让它完全显示后再点击。',

  brands: {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: '美国运通',
    discover: 'Discover',
    unknown: '银行卡',
  } as Record<string, string>,

  // ——— Below: one commented block per part of the frame ("flow", "brand", "screens"), mirrored from en.ts. ———
} satisfies Messages;
