import { z } from 'zod';
import { SERVER_ERROR_STATUS, type ServerErrorCode } from '../../widget/error-codes.ts';
import type { ApiErrorBody } from '../../widget/shopper-api.ts';
import { sameType } from './same-type.ts';

/** Every code the server sends, read from widget/error-codes.ts (the one list). */
const serverErrorCodes = Object.keys(SERVER_ERROR_STATUS) as [ServerErrorCode, ...ServerErrorCode[]];

/** Every error answer of the merchant and frame APIs: `{ error: { code, message } }`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(serverErrorCodes).meta({ description: 'Stable and machine-readable; README "Errors" tells each one' }),
    message: z.string().meta({ description: 'For humans; may change' }),
  }),
});

sameType<z.infer<typeof errorBodySchema>, ApiErrorBody>();
