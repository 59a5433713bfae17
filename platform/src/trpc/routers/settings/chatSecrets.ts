import { chatSecrets } from "../../../tenants/secrets.ts";
import { ownerProcedure } from "../../procedures.ts";

/**
 * The tenant's chat secrets, for its own servers: the identity secret signs user ids (userHash), the webhook
 * secret checks the platform's webhooks. Owners only.
 */
export const chatSecretsProcedure = ownerProcedure.query(({ ctx }) => chatSecrets(ctx.deps.db, ctx.tenant.id));
