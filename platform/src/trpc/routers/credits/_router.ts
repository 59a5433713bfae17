import { router } from "../../init.ts";
import { accountProcedure } from "./account.ts";
import { balanceProcedure } from "./balance.ts";
import { entriesProcedure } from "./entries.ts";
import { ledgerProcedure } from "./ledger.ts";

/** `balance` and `ledger` for the portal; `account` and `entries` for servers (REST /v1/credits). */
export const creditsRouter = router({
  balance: balanceProcedure,
  ledger: ledgerProcedure,
  account: accountProcedure,
  entries: entriesProcedure,
});
