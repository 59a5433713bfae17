import { userId } from "@bizbot/shared";
import { z } from "zod";
import { INVITATION_TOKEN_PATTERN } from "../../../team/service.ts";

export const role = z.enum(["owner", "admin", "member"]);
/** Owners are made by changing a role, never by invitation. */
export const invitedRole = z.enum(["admin", "member"]);
/** The token from the invitation link (`?invite=…`). */
export const invitationToken = z.string().trim().regex(INVITATION_TOKEN_PATTERN, "must be the token from an invitation link");
export const tokenInput = z.strictObject({ token: invitationToken });
export const memberInput = z.strictObject({ userId });
