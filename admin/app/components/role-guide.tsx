import { TableScroll } from "./table-scroll.tsx";

const roles = [
  { role: "Owner", can: "Everything: the team, billing ownership and deleting the workspace included." },
  { role: "Admin", can: "Everything but the team, billing ownership and deleting the workspace: keys, widget, knowledge, agents, settings and credits." },
  { role: "Member", can: "Read only: sees everything, changes nothing." },
];

/** What each role may do, in the words the team page uses. */
export function RoleGuide() {
  return (
    <TableScroll label="Table of roles">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Can</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.role}>
              <th scope="row" className="font-semibold whitespace-nowrap">
                {r.role}
              </th>
              <td>{r.can}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
