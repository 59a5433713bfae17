import type { Checklist } from "./control.ts";

/** GDPR (Regulation (EU) 2016/679): the articles an organisation's own evidence can show, by article and paragraph. */
export const gdpr: Checklist = {
  framework: "gdpr",
  name: "GDPR (Regulation (EU) 2016/679)",
  controls: [
    {
      id: "Art. 5(1)(c)",
      title: "Data minimisation: only the personal data needed for the purpose",
      met: [
        /\bdata minimi[sz]ation\b/i,
        /\bonly (collects?|process(es)?|stores?|keeps?) (the )?(personal )?(data|information)\b.*\b(necessary|needed|required)\b/i,
      ],
      partial: [/\bminimi[sz]\w*/i],
      notMet: [/\bcollect\w* (all|as much|everything)\b/i, /\bjust in case\b/i],
      recommendation: "List the personal data each process collects and drop every field the purpose does not need.",
    },
    {
      id: "Art. 5(1)(e)",
      title: "Storage limitation: retention periods defined and applied",
      met: [[/\b(retention|retained|kept|deleted|purged|erased|anonymi[sz]ed)\b/i, /\b(after|for|within) \d+ (days|weeks|months|years)\b/i]],
      partial: [/\bretention (polic(y|ies)|schedule|periods?)\b/i],
      notMet: [/\b(kept|retained|stored) (indefinitely|forever)\b/i],
      recommendation: "Set a retention period for each category of personal data and delete or anonymise it automatically when it ends.",
    },
    {
      id: "Art. 6(1)",
      title: "Lawfulness: a lawful basis documented for each processing activity",
      met: [[/\b(lawful|legal) bas(is|es)\b/i, /\b(documented|recorded|identified|defined)\b/i]],
      partial: [/\b(lawful|legal) bas(is|es)\b/i, /\blegitimate interests?\b/i],
      recommendation: "Record the lawful basis of every processing activity, with a legitimate-interest assessment where that is the basis.",
    },
    {
      id: "Art. 7",
      title: "Conditions for consent: consent recorded and as easy to withdraw as to give",
      met: [[/\bconsent\b/i, /\b(record\w*|logged|withdraw\w*|opt[- ]in|granular|timestamp\w*)\b/i]],
      partial: [/\bconsent\b/i],
      notMet: [/\bpre[- ]?(ticked|checked)\b/i, /\bimplied consent\b/i],
      recommendation: "Collect consent by a clear opt-in, keep a record of who consented to what and when, and offer a one-step withdrawal.",
    },
    {
      id: "Art. 13",
      title: "Transparency: a privacy notice given when data is collected",
      met: [[/\bprivacy (notice|policy|statement)\b/i, /\b(published|available|provided|linked|shown|displayed)\b/i]],
      partial: [/\bprivacy (notice|policy|statement)\b/i],
      notMet: [/\bprivacy (notice|policy|statement)\b.*\b(outdated|out of date)\b/i],
      recommendation: "Publish a privacy notice covering every Art. 13 item and link it wherever personal data is collected.",
    },
    {
      id: "Art. 15",
      title: "Right of access: data subject requests answered within one month",
      met: [
        [
          /\b(data subject (access )?requests?|dsars?|subject access requests?)\b/i,
          /\b(within (one|1) month|within 30 days|tracked|answered|fulfil\w*|handled|procedure|process)\b/i,
        ],
      ],
      partial: [/\b(dsars?|data subject (access )?requests?|subject access)\b/i],
      recommendation: "Set up a tracked procedure that answers every data subject access request within one month.",
    },
    {
      id: "Art. 17",
      title: "Right to erasure: deletion requests honoured across systems",
      met: [
        [
          /\b(erasure|deletion|right to be forgotten)\b/i,
          /\brequests?\b/i,
          /\b(within \d+|processed|fulfil\w*|honou?red|completed|handled|all systems|including backups)\b/i,
        ],
      ],
      partial: [/\b(right to (erasure|be forgotten)|erasure requests?|deletion requests?)\b/i],
      notMet: [/\bcannot (be )?(deleted|erased)\b/i],
      recommendation: "Make erasure requests reach every system that holds the person's data, analytics and backups included, and log completion.",
    },
    {
      id: "Art. 25",
      title: "Data protection by design and by default",
      met: [[/\b((privacy|data protection) by (design|default)|privacy reviews?)\b/i, /\b(checklist|reviews?|every|all|required|before|part of)\b/i]],
      partial: [/\b(privacy|data protection) by (design|default)\b/i],
      recommendation: "Add a privacy review to the design of every new feature and make the most private setting the default.",
    },
    {
      id: "Art. 28",
      title: "Processors bound by a data processing agreement",
      met: [[/\b(dpas?|data processing (agreements?|addend(a|um))|processor (contracts?|agreements?))\b/i, /\b(signed|in place|executed|all|every|each)\b/i]],
      partial: [/\b(dpas?|data processing (agreements?|addend(a|um))|sub-?processors?)\b/i],
      recommendation: "Sign an Art. 28 data processing agreement with every processor and keep the list of sub-processors current.",
    },
    {
      id: "Art. 30",
      title: "Records of processing activities maintained",
      met: [
        [
          /\b(records? of processing( activities)?|ropa|processing register|data inventory|data map(ping)?)\b/i,
          /\b(maintained|kept|updated|reviewed|documented|complete)\b/i,
        ],
      ],
      partial: [/\b(records? of processing|ropa|processing register|data inventory|data map(ping)?)\b/i],
      recommendation: "Keep a record of processing activities (purposes, categories, recipients, transfers, retention) and review it yearly.",
    },
    {
      id: "Art. 32",
      title: "Security of processing: encryption, access control and resilience",
      met: [
        [/\b(encrypt\w*|pseudonymi[sz]\w*)\b/i, /\b(personal data|customer data|at rest|aes[- ]?256)\b/i],
        [/\b(access (controls?|is restricted)|least privilege|role[- ]based)\b/i, /\bpersonal data\b/i],
      ],
      partial: [/\b(encrypt\w*|pseudonymi[sz]\w*)\b/i],
      notMet: [/\b(not encrypted|unencrypted|in plain ?text|in clear ?text)\b/i, /\bshared (\w+ )?(accounts|passwords|credentials)\b/i],
      recommendation: "Encrypt personal data at rest and in transit, restrict access by role, and test these measures regularly.",
    },
    {
      id: "Art. 33",
      title: "Personal data breaches notified to the supervisory authority within 72 hours",
      met: [[/\bbreach(es)?\b/i, /\b(notif\w+|report\w*)\b/i, /\b(72 hours|supervisory authority|regulator|data protection authority)\b/i]],
      partial: [/\bbreach (response|notification|procedure|process|plan|register|log)\b/i],
      recommendation: "Write a breach procedure that assesses each breach and notifies the supervisory authority within 72 hours, with a breach register.",
    },
    {
      id: "Art. 34",
      title: "High-risk breaches communicated to the data subjects",
      met: [[/\bbreach(es)?\b/i, /\b(data subjects|affected|individuals|customers|users)\b/i, /\b(inform\w*|notif\w+|communicat\w*|told)\b/i]],
      recommendation: "Add to the breach procedure how and when affected people are told of a high-risk breach, with a message template.",
    },
    {
      id: "Art. 35",
      title: "Data protection impact assessments for high-risk processing",
      met: [
        [/\b(dpias?|data protection impact assessments?|privacy impact assessments?)\b/i, /\b(completed|conducted|performed|carried out|required|before)\b/i],
      ],
      partial: [/\b(dpias?|data protection impact assessments?|privacy impact assessments?)\b/i],
      recommendation: "Screen new processing for high risk and carry out a DPIA before it starts where the screening says so.",
    },
    {
      id: "Art. 37",
      title: "A data protection officer designated where required",
      met: [[/\b(dpo|data protection officer)\b/i, /\b(appointed|designated|named|registered)\b/i]],
      partial: [/\b(dpo|data protection officer)\b/i],
      notMet: [/\bno (dpo|data protection officer)\b/i],
      recommendation: "Decide whether Art. 37 requires a DPO; if so, designate one, publish the contact details and register them with the authority.",
    },
    {
      id: "Art. 46",
      title: "Transfers outside the EEA under appropriate safeguards",
      met: [/\b(standard contractual clauses|sccs?|binding corporate rules|adequacy decision|data privacy framework)\b/i],
      partial: [/\b(transfer\w*|hosted|processed) (to|in|outside) (the )?(us|usa|united states|third countr\w*|eea)\b/i],
      recommendation: "Map the transfers of personal data outside the EEA and cover each with an adequacy decision or standard contractual clauses.",
    },
  ],
};
