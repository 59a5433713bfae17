import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAccount, type TestAccount } from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { AppRouter } from "./router.ts";

let app: App;
let account: TestAccount;
beforeAll(async () => {
  app = await startTestApp();
  account = await signUpAccount(app.url);
});
afterAll(() => app?.close());

// The portal and the widget use tRPC's own client; our error shape must keep working with it, batched or not.
describe("with the tRPC client", () => {
  const client = (headers: Record<string, string>) =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${app.url}/trpc`, headers: () => headers })] });

  it("batches typed calls", async () => {
    const portal = client({ authorization: `Bearer ${account.token}` });
    const [me, tenant, keys] = await Promise.all([portal.auth.me.query(), portal.tenant.current.query(), portal.keys.list.query()]);
    expect(me.user.id).toBe(account.user.id);
    expect(tenant.id).toBe(account.tenant.id);
    expect(keys).toHaveLength(4);
  });

  it("surfaces the reason, status and field errors on failure", async () => {
    const anonymous = client({});
    const error = await anonymous.auth.signUp.mutate({ email: "not-an-email", password: "x", tenantName: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data!;
    expect(data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, reason: "invalid_input" });
    expect(Object.keys(data.fields ?? {}).sort()).toEqual(["email", "tenantName"]);

    const denied = await anonymous.keys.list.query().catch((e: unknown) => e);
    expect((denied as TRPCClientError<AppRouter>).data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, reason: "unauthenticated" });
  });
});
