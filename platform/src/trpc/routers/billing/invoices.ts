import { listInvoices } from "../../../billing/service.ts";
import { adminProcedure } from "../../procedures.ts";
import { invoicesOutput } from "./schemas.ts";

/** Invoices and receipts from Stripe, newest first. */
export const invoicesProcedure = adminProcedure.output(invoicesOutput).query(({ ctx }) => listInvoices(ctx.deps, ctx.tenant.id));
