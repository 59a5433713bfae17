import type { Checklist } from "./control.ts";

const MFA = /\b(mfa|multi[- ]factor|2fa|two[- ]factor)\b/i;

/** HIPAA Security Rule (45 CFR Part 164, Subpart C): administrative, physical and technical safeguards, by citation. */
export const hipaa: Checklist = {
  framework: "hipaa",
  name: "HIPAA Security Rule (45 CFR 164)",
  controls: [
    {
      id: "164.308(a)(1)(ii)(A)",
      title: "Risk analysis of the threats to ePHI",
      met: [[/\brisk (analysis|assessment)\b/i, /\b(annual(ly)?|yearly|every year|completed|conducted|performed|documented)\b/i]],
      partial: [/\brisk (analysis|assessment)\b/i],
      recommendation: "Perform an accurate and thorough risk analysis of every system that holds ePHI, and repeat it yearly and after major changes.",
    },
    {
      id: "164.308(a)(1)(ii)(B)",
      title: "Risk management: measures that reduce risks to a reasonable level",
      met: [
        [
          /\b(risk (management|treatment|remediation)( plan)?|remediation plan|risk register)\b/i,
          /\b(tracked|maintained|owners?|documented|reviewed|implemented)\b/i,
        ],
      ],
      partial: [/\brisk (management|register|treatment)\b/i],
      recommendation: "Track every risk the analysis found in a risk management plan with an owner, a measure and a due date.",
    },
    {
      id: "164.308(a)(1)(ii)(D)",
      title: "Information system activity review: logs and access reports reviewed",
      met: [[/\b(audit|access|activity|system|security|ehr) (logs?|reports?)\b/i, /\breview\w*/i, /\b(daily|weekly|monthly|regular(ly)?|periodic(ally)?)\b/i]],
      partial: [/\b(log|activity) reviews?\b/i],
      recommendation: "Review audit logs and access reports on a set schedule (weekly at least) and record each review.",
    },
    {
      id: "164.308(a)(2)",
      title: "Assigned security responsibility: a security official designated",
      met: [[/\bsecurity (official|officer)\b/i, /\b(designated|appointed|named|assigned)\b/i]],
      partial: [/\bsecurity (official|officer)\b/i],
      recommendation: "Designate one security official responsible for the Security Rule's policies, in writing.",
    },
    {
      id: "164.308(a)(3)(ii)(C)",
      title: "Termination procedures: access ended when employment ends",
      met: [[/\b(revok\w+|remov\w+|disabl\w+|deactivat\w+)\b/i, /\b(terminat\w+|offboard\w*|separation|leavers?|last day)\b/i]],
      partial: [/\b(offboarding|termination) (checklist|procedure|process)\b/i],
      recommendation: "Disable a departing workforce member's accounts and collect their devices and badges on their last day, by checklist.",
    },
    {
      id: "164.308(a)(4)(ii)(B)",
      title: "Access authorization: access to ePHI granted on approval",
      met: [[/\baccess\b/i, /\b(approv\w+|authori[sz]\w+)\b/i, /\b(manager|supervisor|request|ticket|minimum necessary)\b/i]],
      partial: [/\b(minimum necessary|role[- ]based access)\b/i],
      recommendation: "Grant access to ePHI only on a documented request approved by the person's manager, limited to the minimum necessary.",
    },
    {
      id: "164.308(a)(5)(i)",
      title: "Security awareness and training for the workforce",
      met: [[/\b(security|hipaa|privacy) (awareness )?training\b/i, /\b(annual(ly)?|yearly|every year|onboarding|at hire|all (workforce|employees|staff))\b/i]],
      partial: [/\btraining\b/i],
      recommendation: "Train every workforce member on HIPAA security at hire and yearly, and keep completion records.",
    },
    {
      id: "164.308(a)(6)(ii)",
      title: "Security incidents identified, responded to, mitigated and documented",
      met: [[/\b(security )?incidents?\b/i, /\b(respon\w+|report\w*)\b/i, /\b(procedure|plan|process|within|tracked|documented|log)\b/i]],
      partial: [/\bincident (response|reporting)\b/i],
      recommendation: "Write an incident response procedure: how incidents are reported, who responds, and how each is documented.",
    },
    {
      id: "164.308(a)(7)(ii)(A)",
      title: "Data backup plan: retrievable exact copies of ePHI",
      met: [[/\b(backups?|backed up)\b/i, /\b(hourly|daily|nightly|weekly|automated|offsite|off-site|exact cop(y|ies)|retrievable)\b/i]],
      partial: [/\b(backups?|backed up)\b/i],
      notMet: [/\bno backups?\b/i],
      recommendation: "Back up all ePHI automatically, at least daily, to a separate location, and check that the copies can be retrieved.",
    },
    {
      id: "164.308(a)(7)(ii)(B)",
      title: "Disaster recovery plan: procedures to restore lost data",
      met: [[/\b(disaster recovery|dr) (plans?|procedures?)\b/i, /\b(tested|documented|approved|exercised|annual(ly)?)\b/i]],
      partial: [/\b(disaster recovery|restore procedures?)\b/i],
      recommendation: "Write a disaster recovery plan that restores ePHI systems from backup, and test it.",
    },
    {
      id: "164.308(b)(1)",
      title: "Business associate contracts with every vendor that handles ePHI",
      met: [[/\b(business associate (agreements?|contracts?)|baas?)\b/i, /\b(signed|executed|in place|all|every|each)\b/i]],
      partial: [/\b(business associates?|baas?)\b/i],
      recommendation: "Sign a business associate agreement with every vendor that creates, receives, keeps or sends ePHI before it does.",
    },
    {
      id: "164.310(a)(1)",
      title: "Facility access controls",
      met: [
        [
          /\b(badges?|key ?cards?|biometric|physical access|visitor (logs?|badges?)|escorted)\b/i,
          /\b(restricted|required|requires|controlled|logged|reviewed|locked)\b/i,
        ],
        [/\b(data cent(er|re)s?|server rooms?)\b/i, /\b(soc 2|iso 27001|locked|restricted)\b/i],
      ],
      partial: [/\bphysical (access|security)\b/i],
      recommendation: "Restrict entry to rooms with ePHI systems to authorised people (badges, locks) and log visitors.",
    },
    {
      id: "164.310(d)(2)(i)",
      title: "Disposal of ePHI and the media that hold it",
      met: [
        [/\b(dispos\w+|destr(oy|oyed|uction)|shred\w*|sanitiz\w+|degauss\w*)\b/i, /\b(media|drives?|disks?|devices?|laptops?|hardware|paper|records)\b/i],
        [/\bwip(e|ed|ing)\b/i, /\b(before|prior to) (disposal|reuse|re-use|recycling)\b/i],
      ],
      recommendation: "Wipe or destroy every drive and device that held ePHI before disposal or reuse, and keep certificates of destruction.",
    },
    {
      id: "164.312(a)(2)(i)",
      title: "Unique user identification",
      met: [
        /\bunique (user )?(ids?|identifiers?|accounts|usernames|logins)\b/i,
        [/\b(individual|named|personal) (user )?accounts\b/i, /\b(each|every|all)\b/i],
      ],
      notMet: [
        /\bshar(e|es|ed|ing) (one |a |the )?(\w+ )?(accounts?|logins?|credentials|passwords?|user ?ids?)\b/i,
        /\bgeneric (accounts|logins|user ?ids?)\b/i,
      ],
      recommendation: "Give every workforce member their own login to ePHI systems and retire shared and generic accounts.",
    },
    {
      id: "164.312(a)(2)(iii)",
      title: "Automatic logoff after inactivity",
      met: [
        [
          /\b(automatic(ally)? (log ?off|log ?out|lock\w*)|lock\w* automatically|auto[- ]?(log ?off|logout|lock)|session time-?outs?|screen ?lock|idle time-?outs?)\b/i,
          /\b(\d+ minutes?|enforced|configured|inactivity)\b/i,
        ],
      ],
      partial: [/\b(session time-?outs?|screen ?lock|auto[- ]?lock)\b/i],
      recommendation: "Lock workstations and end EHR sessions automatically after a short idle time (e.g. 10–15 minutes).",
    },
    {
      id: "164.312(a)(2)(iv)",
      title: "Encryption and decryption of ePHI at rest",
      met: [[/\bencrypt\w*/i, /\b(at rest|aes[- ]?256|full[- ]disk|filevault|bitlocker|storage|volumes?)\b/i]],
      notMet: [
        /\b(unencrypted|not encrypted)\b.*\b(at rest|laptops?|drives?|databases?|backups?|storage)\b/i,
        /\bstored (unencrypted|in plain ?text|in clear ?text)\b/i,
      ],
      recommendation: "Encrypt ePHI at rest (databases, backups, laptops and removable media) with AES-256 and managed keys.",
    },
    {
      id: "164.312(b)",
      title: "Audit controls: activity in ePHI systems recorded",
      met: [
        [
          /\b(audit (logs?|trails?|logging)|access logs?|activity logs?)\b/i,
          /\b(record\w*|captur\w*|enabled|retain\w*|retention|immutable|collected|centrali[sz]ed)\b/i,
        ],
      ],
      partial: [/\b(audit (logs?|trails?)|logging)\b/i],
      recommendation: "Record access to and changes of ePHI in audit logs that cannot be altered, and keep them for six years.",
    },
    {
      id: "164.312(d)",
      title: "Person or entity authentication",
      met: [[MFA, /\b(enforced|required|mandatory)\b/i]],
      partial: [MFA, /\bpasswords?\b/i],
      notMet: [/\bshar(e|es|ed|ing) (\w+ )?passwords?\b/i],
      recommendation: "Verify each user's identity with multi-factor authentication on every system that gives access to ePHI.",
    },
    {
      id: "164.312(e)(1)",
      title: "Transmission security: ePHI encrypted in transit",
      met: [[/\b(tls|https|sftp|vpn|encrypted in transit)\b/i, /\b(1\.2|1\.3|enforced|required|all|only|encrypt\w*)\b/i]],
      partial: [/\b(tls|https|sftp|vpn)\b/i],
      notMet: [
        /\b(unencrypted|plain ?text|clear ?text) (e-?mails?|transfers?|connections?|traffic|http|ftp)\b/i,
        /\b(e-?mail\w*|sen[dt]|fax\w*)\b.*\b(unencrypted|without encryption)\b/i,
        /\bhttp:\/\//i,
        /\b(ftp|telnet)\b/i,
      ],
      recommendation: "Send ePHI only over encrypted channels (TLS 1.2+, SFTP, secure messaging or encrypted e-mail).",
    },
    {
      id: "164.316(b)(1)",
      title: "Documentation: policies and procedures written, kept six years and reviewed",
      met: [
        [/\b(polic(y|ies)|procedures?|documentation)\b/i, /\b(retain\w*|kept|maintained) (for )?(at least )?(6|six) years\b/i],
        [/\b(polic(y|ies)|procedures?)\b/i, /\b(reviewed|updated) (annual(ly)?|yearly|every year|periodically)\b/i],
      ],
      partial: [/\b(written|documented) (polic(y|ies)|procedures?)\b/i],
      recommendation: "Keep the security policies and procedures in writing, review them yearly, and retain each version for six years.",
    },
  ],
};
