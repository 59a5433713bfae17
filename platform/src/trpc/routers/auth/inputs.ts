import { allowedOrigins } from "@bizbot/shared";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../../../auth/password.ts";
import { invitationToken } from "../team/schemas.ts";

export const email = z.string().trim().max(254).pipe(z.email("must be an e-mail address"));
// Length is checked here only as a bound; the full policy (length, common passwords) runs in the service.
export const password = z.string().min(1, "is required").max(MAX_PASSWORD_LENGTH);
export const tenantName = z.string().trim().min(1, "is required").max(100);

/** Where a sign-up came from, kept on its tenant: 'widget-trial' is the house widget's call to action. */
export const signUpSource = z.enum(["widget-trial"]);

/**
 * A new account makes its own tenant (`tenantName` required), or, with `invitation` (the token of an invitation to
 * this e-mail), joins the inviting tenant with the invited role: then it takes no tenantName, allowedOrigins or source.
 */
export const signUpInput = z.strictObject({
  email,
  password,
  tenantName: tenantName.optional(),
  allowedOrigins: allowedOrigins.optional(),
  invitation: invitationToken.optional(),
  source: signUpSource.optional(),
});
export const signInInput = z.strictObject({ email, password });
