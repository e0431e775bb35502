import { z } from 'zod';

/** The body of `POST /v1/strings`. */
export const newStringSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_.-]{1,100}$/, 'must be 1–100 of a-z 0-9 _ . -'),
  value: z.string().max(5_000),
});

export type NewString = z.infer<typeof newStringSchema>;

export interface StoredString extends NewString {
  created_by: string;
}

/**
 * The example's whole domain: translation strings kept in memory, one shelf per organization.
 * Keying by the token's `org_id` is the point — a product API scopes every read and write by
 * the organization the JWT names.
 */
export class StringStore {
  readonly #byOrganization = new Map<string, Map<string, StoredString>>();

  list(organizationId: string): StoredString[] {
    return [...(this.#byOrganization.get(organizationId)?.values() ?? [])];
  }

  put(organizationId: string, userId: string, entry: NewString): StoredString {
    const shelf = this.#byOrganization.get(organizationId) ?? new Map<string, StoredString>();
    this.#byOrganization.set(organizationId, shelf);
    const stored = { ...entry, created_by: userId };
    shelf.set(entry.key, stored);
    return stored;
  }
}
