import { router } from "../../init.ts";
import { autoTopUpProcedure } from "./autoTopUp.ts";
import { checkoutProcedure } from "./checkout.ts";
import { checkoutResultProcedure } from "./checkoutResult.ts";
import { invoicesProcedure } from "./invoices.ts";
import { portalProcedure } from "./portal.ts";
import { statusProcedure } from "./status.ts";

/** Buying credits through Stripe, for the portal's billing page. */
export const billingRouter = router({
  status: statusProcedure,
  checkout: checkoutProcedure,
  checkoutResult: checkoutResultProcedure,
  portal: portalProcedure,
  invoices: invoicesProcedure,
  autoTopUp: autoTopUpProcedure,
});
