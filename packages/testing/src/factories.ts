import { randomBytes } from "node:crypto";
import { trpcMutation } from "./http.ts";

export interface KeyPairOut {
  publishable: { id: string; key: string };
  secret: { id: string; key: string };
}

export interface TestAccount {
  email: string;
  password: string;
  token: string;
  user: { id: string; email: string };
  tenant: { id: string; name: string };
  keys: { test: KeyPairOut; live: KeyPairOut };
}

let counter = 0;

/** An e-mail no other test (or earlier run against the same database) has used. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomBytes(3).toString("hex")}@example.test`;
}

export const STRONG_PASSWORD = "correct horse battery staple 42";

/** Signs a new account up through the public API, as a real tenant would. */
export async function signUpAccount(
  baseUrl: string,
  overrides: { email?: string; tenantName?: string; allowedOrigins?: string[]; password?: string } = {},
): Promise<TestAccount> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await trpcMutation<Omit<TestAccount, "email" | "password">>(baseUrl, "auth.signUp", {
    input: {
      email,
      password,
      tenantName: overrides.tenantName ?? `Tenant of ${email}`,
      allowedOrigins: overrides.allowedOrigins ?? ["https://shop.example.com"],
    },
  });
  if (!res.data) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.error)}`);
  return { email, password, ...res.data };
}
