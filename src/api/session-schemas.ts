import { z } from 'zod';

/** `POST /api/session`. */
export const loginSchema = z.strictObject({
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .meta({ description: 'The account email; case and surrounding spaces are ignored, accents are not.' }),
  password: z.string().min(1).max(1024).meta({ format: 'password' }),
});
