import type { Checklist } from "./control.ts";

const MFA = /\b(mfa|multi[- ]factor|2fa|two[- ]factor)\b/i;
const ENFORCED = /\b(enforced|required|mandatory)\b/i;

/** SOC 2: the AICPA Trust Services Criteria (2017, points of focus revised 2022), security, availability and confidentiality. */
export const soc2: Checklist = {
  framework: "soc2",
  name: "SOC 2 (Trust Services Criteria)",
  controls: [
    {
      id: "CC1.1",
      title: "Integrity and ethical values: a code of conduct acknowledged by the workforce",
      met: [[/\bcode of (conduct|ethics)\b/i, /\b(acknowledg\w*|sign(s|ed)?|attest\w*|accept(s|ed)?)\b/i]],
      partial: [/\bcode of (conduct|ethics)\b/i],
      recommendation: "Publish a code of conduct and have every employee acknowledge it at hire and every year.",
    },
    {
      id: "CC1.4",
      title: "Competence: background checks before hire",
      met: [[/\bbackground (checks?|screening)\b/i, /\b(all|every|each|new hires?|before|prior to)\b/i]],
      partial: [/\bbackground (checks?|screening)\b/i],
      recommendation: "Run background checks on every new hire before access is granted, and keep the results on file.",
    },
    {
      id: "CC2.2",
      title: "Security awareness training for the workforce",
      met: [
        [
          /\b(security (awareness )?training|awareness training|phishing (simulations?|training))\b/i,
          /\b(annual(ly)?|yearly|every year|quarterly|onboarding|at hire|all (employees|staff))\b/i,
        ],
      ],
      partial: [/\b(security (awareness )?training|awareness training|phishing (simulations?|training))\b/i],
      recommendation: "Give security awareness training at onboarding and every year, and track completion.",
    },
    {
      id: "CC3.2",
      title: "Risk assessment: risks to the objectives identified and analysed",
      met: [
        [/\brisk assessments?\b/i, /\b(annual(ly)?|yearly|every year|each year|quarterly|periodic(ally)?|performed|completed|conducted)\b/i],
        [/\brisk register\b/i, /\b(maintained|reviewed|updated)\b/i],
      ],
      partial: [/\brisk (assessments?|register|analysis)\b/i],
      recommendation: "Perform a documented risk assessment at least yearly and track each risk's treatment in a register.",
    },
    {
      id: "CC4.1",
      title: "Monitoring: independent evaluations such as penetration tests and internal audits",
      met: [
        [
          /\b(penetration tests?(ing)?|pen ?tests?(ing)?|internal audits?)\b/i,
          /\b(annual(ly)?|yearly|every year|each year|quarterly|third[- ]party|external|independent)\b/i,
        ],
      ],
      partial: [/\b(penetration tests?(ing)?|pen ?tests?(ing)?|internal audits?)\b/i],
      recommendation: "Commission an independent penetration test every year and track its findings to closure.",
    },
    {
      id: "CC5.3",
      title: "Policies: an information security policy approved and reviewed",
      met: [[/\bsecurity polic(y|ies)\b/i, /\b(approved|reviewed|published|annual(ly)?|yearly)\b/i]],
      partial: [/\bsecurity polic(y|ies)\b/i],
      recommendation: "Have management approve an information security policy, publish it to staff and review it yearly.",
    },
    {
      id: "CC6.1",
      title: "Logical access: unique accounts and multi-factor authentication",
      met: [[MFA, ENFORCED], [/\b(sso|single sign[- ]on)\b/i, /\b(all|every|required|enforced)\b/i], /\bunique (user )?(ids?|accounts|usernames|logins)\b/i],
      partial: [MFA, /\b(sso|single sign[- ]on)\b/i],
      notMet: [/\bshared (\w+ )?(accounts|passwords|credentials|logins)\b/i, /\b(no|without) (mfa|multi[- ]factor|2fa|two[- ]factor)\b/i],
      recommendation: "Give every person their own account and enforce multi-factor authentication on all systems, starting with admin access.",
    },
    {
      id: "CC6.2",
      title: "Access granted on approved requests and removed at termination",
      met: [
        [/\baccess\b/i, /\b(approv\w+|authori[sz]ed)\b/i, /\b(requests?|provision\w*|grant\w*)\b/i],
        [/\b(revok\w+|remov\w+|deprovision\w*|disabl\w+)\b/i, /\b(terminat\w+|offboard\w*|leavers?|last day|departure)\b/i],
      ],
      partial: [/\b(offboarding|deprovision\w*|access requests?)\b/i],
      notMet: [/\b(former|terminated|departed) (employees|staff|contractors)\b.*\b(still|retain\w*)\b/i],
      recommendation: "Grant access only on an approved request and revoke it on the employee's last day, with a record of both.",
    },
    {
      id: "CC6.3",
      title: "Role-based, least-privilege access reviewed periodically",
      met: [
        [/\b(user )?access reviews?\b/i, /\b(monthly|quarterly|semi-annual(ly)?|annual(ly)?|yearly|periodic(ally)?)\b/i],
        /\b(role[- ]based access|rbac|least privilege)\b/i,
      ],
      partial: [/\baccess reviews?\b/i],
      notMet: [/\b(everyone|all (users|employees|engineers|staff)) (has|have) (admin|administrator|root|full)\b/i],
      recommendation: "Review user access every quarter against each role's needs and remove what is not needed.",
    },
    {
      id: "CC6.6",
      title: "Boundary protection against threats from outside the system",
      met: [
        [
          /\b(firewalls?|waf|web application firewall|security groups?|vpn|intrusion (detection|prevention))\b/i,
          /\b(configured|deny|denies|restrict\w*|blocks?|required|deployed|in place|only)\b/i,
        ],
      ],
      partial: [/\b(firewalls?|waf|vpn)\b/i],
      notMet: [/\b(publicly|internet)[- ](accessible|exposed|open)\b/i, /\bopen to (the )?(internet|world)\b/i, /0\.0\.0\.0\/0/],
      recommendation: "Put production behind firewalls or security groups that deny inbound traffic by default, and reach admin interfaces only through a VPN.",
    },
    {
      id: "CC6.7",
      title: "Data encrypted in transmission",
      met: [[/\b(tls|https|encrypted in transit)\b/i, /\b(1\.2|1\.3|enforced|required|all|only|redirected)\b/i]],
      partial: [/\b(tls|https|ssl)\b/i],
      notMet: [/\b(unencrypted|plain ?text|clear ?text) (connections?|traffic|transfers?|http|ftp)\b/i, /\bhttp:\/\//i, /\b(ftp|telnet)\b/i],
      recommendation: "Require TLS 1.2 or higher on every connection that carries customer data, internal ones included.",
    },
    {
      id: "CC6.8",
      title: "Malicious software prevented or detected on endpoints",
      met: [
        [
          /\b(edr|endpoint (protection|detection)|anti-?virus|anti-?malware|crowdstrike|sentinelone|defender)\b/i,
          /\b(all|every|installed|deployed|managed|enforced)\b/i,
        ],
      ],
      partial: [/\b(edr|endpoint protection|anti-?virus|anti-?malware)\b/i],
      recommendation: "Deploy managed endpoint protection (EDR or anti-malware) on every laptop and server, with alerts monitored.",
    },
    {
      id: "CC7.1",
      title: "Vulnerabilities detected and remediated",
      met: [
        [
          /\b(vulnerabilit(y|ies)|(dependency|container|image) scans?)\b/i,
          /\b(scan\w*|patch\w*|remediat\w*|flag\w*)\b/i,
          /\b(daily|weekly|monthly|continuous(ly)?|automated|within \d+ days|sla)\b/i,
        ],
      ],
      partial: [/\b(vulnerability scan\w*|patch(ing|es)?)\b/i],
      notMet: [/\b(unpatched|end[- ]of[- ]life)\b/i],
      recommendation: "Scan systems and dependencies for vulnerabilities at least weekly and patch critical findings within a set deadline.",
    },
    {
      id: "CC7.2",
      title: "System components monitored for anomalies and security events",
      met: [[/\b(logs?|logging|siem|monitor\w*)\b/i, /\b(alert\w*|centrali[sz]ed|24\/7|reviewed daily)\b/i]],
      partial: [/\b(logging|siem|log monitoring)\b/i],
      recommendation: "Centralise security logs and alert on suspicious events, with someone on call to respond.",
    },
    {
      id: "CC7.4",
      title: "Security incidents responded to under a defined plan",
      met: [[/\bincident response (plan|procedure|process|policy|playbook)s?\b/i, /\b(tested|tabletop|exercised|reviewed|documented|approved)\b/i]],
      partial: [/\bincident (response|management)\b/i],
      recommendation: "Document an incident response plan with roles and contacts, and test it in a tabletop exercise every year.",
    },
    {
      id: "CC8.1",
      title: "Change management: changes reviewed, tested and approved before production",
      met: [
        [
          /\b(pull requests?|code reviews?|changes?|deployments?)\b/i,
          /\b(review\w*|approv\w+)\b/i,
          /\b(required|requires|every|all|before|prior to|mandatory)\b/i,
        ],
      ],
      partial: [/\b(change management|code reviews?|pull requests?)\b/i],
      notMet: [/\b(push\w*|deploy\w*|commit\w*) directly to (main|master|prod\w*)\b/i, /\bdirect (push|pushes|commits|deploys) to (main|master|prod\w*)\b/i],
      recommendation: "Require a reviewed and approved pull request for every production change, emergency fixes included, with a record kept.",
    },
    {
      id: "CC9.2",
      title: "Vendor and business partner risk managed",
      met: [[/\b(vendors?|suppliers?|sub-?processors?)\b/i, /\b(assess\w*|review\w*|due diligence|questionnaires?|soc 2 reports?)\b/i]],
      partial: [/\bvendor (management|inventory|list)\b/i],
      recommendation: "Keep an inventory of vendors that handle customer data and review each one's security (e.g. its SOC 2 report) every year.",
    },
    {
      id: "A1.2",
      title: "Backups and recovery infrastructure for availability",
      met: [
        [/\b(backups?|backed up)\b/i, /\b(hourly|daily|nightly|weekly|automated|offsite|off-site|second region|another region|geo-?redundant|snapshots?)\b/i],
      ],
      partial: [/\b(backups?|backed up)\b/i],
      notMet: [/\bno backups?\b/i],
      recommendation: "Take automated, encrypted backups at least daily and keep a copy in a separate region or account.",
    },
    {
      id: "A1.3",
      title: "Recovery plan and restores tested",
      met: [[/\b(restor\w*|recovery|business continuity|bcp)\b/i, /\b(test\w*|exercis\w*|drills?)\b/i]],
      partial: [/\b(disaster recovery|business continuity|bcp|dr plan)\b/i],
      recommendation: "Test a restore from backup and the disaster recovery plan at least once a year, and record the recovery time achieved.",
    },
    {
      id: "C1.1",
      title: "Confidential information identified and protected (classification, encryption at rest)",
      met: [
        [/\bencrypt\w*/i, /\b(at rest|aes[- ]?256|kms|full[- ]disk)\b/i],
        [/\bdata classification\b/i, /\b(polic\w*|labels?|labell?ed|levels?|defined)\b/i],
      ],
      partial: [/\bdata classification\b/i],
      notMet: [/\b(unencrypted|not encrypted)\b.*\bat rest\b/i, /\bstored (unencrypted|in plain ?text|in clear ?text)\b/i],
      recommendation: "Classify confidential data under a written policy and encrypt it at rest with managed keys.",
    },
  ],
};
