import type { Locale } from '../i18n/messages.ts';

/**
 * The "Manage cards" screen's strings, loaded with its own chunk; `zh-CN` has exactly the shape of `en` (`satisfies`).
 */
const en = {
  title: 'Manage cards',
  back: 'Back',
  empty: 'You have no saved cards.',
  cardSpoken: (brand: string, last4: string) => `${brand} ending in ${last4}`,
  expires: (mmyy: string) => `Expires ${mmyy}`,
  remove: 'Remove',
  /** After "Remove" in the button's accessible name: which card. */
  removeWhich: (card: string, bank: string) => `${card}, ${bank}`,
  confirmQuestion: (card: string, bank: string) => `Remove ${card} (${bank}) from your wallet?`,
  confirmBody: 'Paykey deletes it and your bank cancels its token. To pay with it again, you would add it again.',
  confirmRemove: 'Remove card',
  keepCard: 'Keep card',
  removing: 'Removing…',
  removed: (card: string) => `${card} removed.`,
  deviceTitle: 'This device',
  signOutExplain:
    'Signing out ends your session and deletes everything this browser remembers of your wallet; your saved cards stay in your wallet for your next sign-in with your passkey.',
  signOut: 'Sign out on this device',
  signingOut: 'Signing out…',
};

export type ManageCardsMessages = typeof en;

const zhCN = {
  title: '管理银行卡',
  back: '返回',
  empty: '您没有保存的银行卡。',
  cardSpoken: (brand: string, last4: string) => `${brand}，尾号 ${last4}`,
  expires: (mmyy: string) => `有效期至 ${mmyy}`,
  remove: '移除',
  removeWhich: (card: string, bank: string) => `${card}，${bank}`,
  confirmQuestion: (card: string, bank: string) => `要从钱包中移除${card}（${bank}）吗？`,
  confirmBody: 'Paykey 会删除这张卡，您的银行会注销它的令牌。以后要用它付款，需要重新添加。',
  confirmRemove: '移除银行卡',
  keepCard: '保留银行卡',
  removing: '正在移除…',
  removed: (card: string) => `已移除${card}。`,
  deviceTitle: '此设备',
  signOutExplain: '退出登录会结束您的会话，并删除此浏览器记住的所有钱包信息；您保存的银行卡仍在钱包中，下次用通行密钥登录即可使用。',
  signOut: '在此设备上退出登录',
  signingOut: '正在退出登录…',
} satisfies ManageCardsMessages;

export const manageCardsMessages: Record<Locale, ManageCardsMessages> = { en, 'zh-CN': zhCN };
