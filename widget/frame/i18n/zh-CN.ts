import type { Messages } from './en.ts';
import { zhCNFirstScreen } from './zh-CN-first-screen.ts';
import { zhCNLater } from './zh-CN-later.ts';

/**
 * Every string of the wallet frame in Simplified Chinese (`zh-CN`), key for key the shape of `en.ts`, in the same two
 * parts. Loaded only when the frame speaks Chinese (`loadFirstScreenMessages`, `loadMessages`). The control names are
 * the ones merchants' own tests look for: 使用通行密钥继续, 创建通行密钥, 电子邮箱, 添加银行卡, 卡号, 有效期, 安全码,
 * 持卡人姓名, 保存银行卡, 支付 + amount, 支付成功, 取消.
 */
export const zhCN = { ...zhCNFirstScreen, ...zhCNLater } satisfies Messages;
