import type { Framework } from "./control.ts";
import type { ControlStatus } from "./evaluate.ts";

/** An evidence document for each framework, as a customer would paste it, and the status an auditor reads for each control. */
export const fixtures: Record<Framework, { evidence: string; expected: Record<string, ControlStatus> }> = {
  soc2: {
    evidence: `Company: Acme Analytics Ltd, 85 employees; evidence collected by the security team, May 2024.
Scope: the production SaaS platform on AWS (eu-west-1) and the corporate IT environment.
- All employees sign the code of conduct at hire and acknowledge it again every year.
- Security awareness training is completed by all employees at onboarding and annually.
- A formal risk assessment has not been performed since 2021.
- The information security policy is approved by the CEO and reviewed annually.
- MFA is enforced for all workforce accounts through Okta.
- Shared administrator accounts are still used on the legacy billing database.
- Access requests are approved by the system owner in Jira before access is granted.
- Access of departing employees is revoked on their last day via the offboarding checklist.
- User access reviews are performed ad hoc rather than on a fixed schedule.
- Production databases sit in private subnets; security groups allow inbound traffic only from the corporate VPN.
- All public endpoints require TLS 1.2 or higher; HTTP is redirected to HTTPS.
- Dependabot and weekly container image scans flag vulnerabilities; critical findings are patched within 7 days.
- Application and CloudTrail logs are centralized in Datadog, with alerts routed to the on-call engineer.
- An incident response plan is documented, but it has never been tested in a tabletop exercise.
- Every pull request requires an approving review from a second engineer before merge to main.
- Emergency hotfixes can be deployed directly to production without review.
- Nightly database backups are copied to a second AWS region.
- Restores from backup have not been tested in the last 12 months.
- Vendors that handle customer data are reviewed once a year with a security questionnaire and their SOC 2 report.
- Customer data at rest is encrypted with AES-256 through AWS KMS.
- A data classification policy is in draft.
- Penetration tests are run by an external firm every year; the last report is from March 2024.
- The office Wi-Fi guest network is separated from the corporate network.`,
    expected: {
      "CC1.1": "met",
      "CC1.4": "no_evidence",
      "CC2.2": "met",
      "CC3.2": "not_met",
      "CC4.1": "met",
      "CC5.3": "met",
      "CC6.1": "partial",
      "CC6.2": "met",
      "CC6.3": "partial",
      "CC6.6": "met",
      "CC6.7": "met",
      "CC6.8": "no_evidence",
      "CC7.1": "met",
      "CC7.2": "met",
      "CC7.4": "partial",
      "CC8.1": "partial",
      "CC9.2": "met",
      "A1.2": "met",
      "A1.3": "not_met",
      "C1.1": "partial",
    },
  },
  gdpr: {
    evidence: `Controller: Brightpath Learning GmbH, online courses for adults, about 40,000 learners in the EU.
We only collect the personal data necessary for enrolment: name, e-mail address and billing country.
Learner accounts inactive for 24 months are deleted after 30 days' notice.
Support tickets are kept indefinitely.
The lawful basis for each processing activity is documented in a spreadsheet owned by the legal team.
Marketing e-mails are sent on opt-in consent, recorded with a timestamp, and can be withdrawn in one click.
Our privacy notice is published on the website and linked from every signup form.
Data subject access requests are tracked in Zendesk and answered within one month.
Erasure requests are not yet handled in the analytics warehouse.
New features go through a privacy by design checklist before release.
Data processing agreements are signed with all processors, including our e-mail provider.
Personal data in the production database is encrypted at rest (AES-256) and access is restricted by role.
Personal data breaches are reported to the supervisory authority within 72 hours under our breach procedure.
There is no documented process for informing affected learners of a breach.
A DPIA was completed for the proctoring feature that uses webcam recordings.
We have not appointed a data protection officer.
The cookie banner lets visitors reject analytics cookies.
Course videos are streamed from a CDN with edge locations in Europe.`,
    expected: {
      "Art. 5(1)(c)": "met",
      "Art. 5(1)(e)": "partial",
      "Art. 6(1)": "met",
      "Art. 7": "met",
      "Art. 13": "met",
      "Art. 15": "met",
      "Art. 17": "partial",
      "Art. 25": "met",
      "Art. 28": "met",
      "Art. 30": "no_evidence",
      "Art. 32": "met",
      "Art. 33": "met",
      "Art. 34": "not_met",
      "Art. 35": "met",
      "Art. 37": "not_met",
      "Art. 46": "no_evidence",
    },
  },
  hipaa: {
    evidence: `Organization: Northwind Telehealth, a covered entity with 120 workforce members.
1. A security risk analysis covering all ePHI systems was completed in January 2024 and is repeated annually.
2. Findings are tracked in a risk register with owners and due dates.
3. Audit logs of EHR access are captured and retained for six years.
4. The audit logs are not reviewed on a regular schedule.
5. The practice manager is designated as the HIPAA security official.
6. Workforce access to ePHI is approved by the department manager on a request ticket.
7. Access is disabled within 24 hours of termination per the offboarding checklist.
8. HIPAA training is given at hire only; there is no annual refresher.
9. Security incidents are reported to the privacy officer and documented in the incident log within 24 hours.
10. EHR data is backed up nightly to encrypted offsite storage.
11. There is no disaster recovery plan.
12. Business associate agreements are signed with all vendors that handle PHI, including the cloud host.
13. Server rooms are locked and entry requires a badge; visitor logs are reviewed monthly.
14. Each user logs in with a unique user ID.
15. Front-desk staff share one login on the reception workstation.
16. Workstations lock automatically after 10 minutes of inactivity.
17. Laptops use BitLocker full-disk encryption.
18. Lab results are sometimes e-mailed to patients without encryption.
19. The patient portal is served over HTTPS with TLS 1.2 or higher.
20. MFA is required for remote access to the EHR.
21. Policies and procedures are kept for six years and reviewed annually.
22. Patients book appointments through the website or by phone.`,
    expected: {
      "164.308(a)(1)(ii)(A)": "met",
      "164.308(a)(1)(ii)(B)": "met",
      "164.308(a)(1)(ii)(D)": "not_met",
      "164.308(a)(2)": "met",
      "164.308(a)(3)(ii)(C)": "met",
      "164.308(a)(4)(ii)(B)": "met",
      "164.308(a)(5)(i)": "partial",
      "164.308(a)(6)(ii)": "met",
      "164.308(a)(7)(ii)(A)": "met",
      "164.308(a)(7)(ii)(B)": "not_met",
      "164.308(b)(1)": "met",
      "164.310(a)(1)": "met",
      "164.310(d)(2)(i)": "no_evidence",
      "164.312(a)(2)(i)": "partial",
      "164.312(a)(2)(iii)": "met",
      "164.312(a)(2)(iv)": "met",
      "164.312(b)": "met",
      "164.312(d)": "met",
      "164.312(e)(1)": "partial",
      "164.316(b)(1)": "met",
    },
  },
};
