import { describe, expect, it } from "vitest";
import { detectCode, type Language, languageOf } from "./code.ts";
import { LineIndex } from "../../secrets/text.ts";

/** Samples write a template's `${…}` as `#{…}`, so that they stay plain strings here. */
const found = (code: string, filename?: string) => {
  const index = new LineIndex(code.replaceAll("#{", "${"));
  return detectCode(index, index, languageOf(filename) satisfies Language | null).map((f) => `${f.rule}@${f.line}:${f.column}`);
};

describe("code patterns", () => {
  it.each([
    ["sql-injection", 'const rows = await db.query("SELECT * FROM users WHERE email = \'" + email + "\'");', "api.js"],
    ["sql-injection", "await db.query(`DELETE FROM sessions WHERE user_id = #{userId}`);", "api.ts"],
    ["sql-injection", 'cur.execute(f"UPDATE accounts SET balance = {amount} WHERE id = {account_id}")', "bank.py"],
    ["sql-injection", "cur.execute(\"SELECT name FROM users WHERE id = '%s'\" % user_id)", "users.py"],
    ["dynamic-code-execution", "const result = eval(req.body.expression);", "calc.js"],
    ["dynamic-code-execution", "const fn = new Function('a', 'b', body);", "calc.ts"],
    ["command-injection", "exec(`convert #{req.file.path} out.png`, done);", "images.js"],
    ["command-injection", 'child_process.execSync("git log " + branch);', "git.js"],
    ["command-injection", 'os.system(f"tar czf {name}.tgz {folder}")', "backup.py"],
    ["subprocess-shell-true", 'subprocess.run("ping -c 1 " + host, shell=True)', "net.py"],
    ["spawn-with-shell", "spawn(cmd, args, { shell: true });", "run.js"],
    ["html-injection", "element.innerHTML = comment.body;", "view.js"],
    ["html-injection", "<div dangerouslySetInnerHTML={{ __html: post.content }} />", "Post.tsx"],
    ["html-injection", "document.write(location.hash.slice(1));", "legacy.js"],
    ["insecure-deserialization", "session = pickle.loads(base64.b64decode(cookie))", "auth.py"],
    ["yaml-unsafe-load", "config = yaml.load(open(path))", "config.py"],
    ["weak-password-hash", "digest = hashlib.md5(password.encode()).hexdigest()", "users.py"],
    ["weak-password-hash", "const hash = crypto.createHash('sha1').update(user.password).digest('hex');", "users.js"],
    ["tls-verification-disabled", "const agent = new https.Agent({ rejectUnauthorized: false });", "client.js"],
    ["tls-verification-disabled", "requests.get(url, verify=False)", "client.py"],
    ["tls-verification-disabled", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", "setup.js"],
  ])("finds %s in %s", (rule, code, filename) => {
    expect(found(code, filename)).toEqual([expect.stringMatching(new RegExp(`^${rule}@1:\\d+$`))]);
  });

  it.each([
    ['const rows = await db.query("SELECT * FROM users WHERE email = $1", [email]);', "api.ts"],
    ["const rows = await sql`SELECT * FROM users WHERE id = #{id}`;", "api.ts"],
    ['cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))', "users.py"],
    ["model.eval()", "train.py"],
    ['const data = eval("1 + 2");', "x.js"],
    ['execFile("git", ["log", branch]);', "git.js"],
    ['subprocess.run(["ping", "-c", "1", host], check=True)', "net.py"],
    ['element.innerHTML = "<p>Loading…</p>";', "view.js"],
    ['const value = eval( "2 * 21" );', "x.js"],
    ["element.innerHTML = DOMPurify.sanitize(comment.body);", "view.js"],
    ["config = yaml.load(stream, Loader=yaml.SafeLoader)", "config.py"],
    ["config = yaml.safe_load(stream)", "config.py"],
    ["etag = hashlib.md5(body).hexdigest()", "cache.py"],
    ["// eval(userInput) was removed in 2023", "old.js"],
    ["# subprocess.run(cmd, shell=True)", "notes.py"],
    ["const text = `UPDATE: the SELECT menu moved #{where}`;", "ui.ts"],
  ])("finds nothing in safe code: %s", (code, filename) => {
    expect(found(code, filename)).toEqual([]);
  });

  it("trusts tagged SQL templates, also over several lines", () => {
    const code = [
      "const total = await sql<{ n: number }>`select count(*) from t where tenant_id = #{tenantId}`.execute(db);",
      "const rows = await sql<{",
      "  n: number;",
      "}>`select n from t where id = #{id}`.execute(db);",
      "await sql`",
      "  update accounts set balance = balance - #{amount}",
      "  where id = #{id}`.execute(db);",
      'db.query("DELETE FROM sessions WHERE id = " + id);',
    ].join("\n");
    expect(found(code, "repo.ts")).toEqual(["sql-injection@8:11"]);
  });

  it("runs every rule when the file name does not tell the language", () => {
    expect(found("data = yaml.load(text)\nspawn(cmd, { shell: true })")).toEqual(["yaml-unsafe-load@1:8", "spawn-with-shell@2:14"]);
    expect(found("data = yaml.load(text)", "loader.js")).toEqual([]);
  });

  it("takes evidence from the masked text", () => {
    const index = new LineIndex('exec("mysql -p" + pass + " -e \'SELECT 1 FROM dual\'")');
    const masked = new LineIndex('exec("mysql -p" + pass + " -e \'SELECT 1 FROM d…\'")');
    expect(detectCode(index, masked, "js").map((f) => f.evidence)).toEqual([masked.line(1), masked.line(1)]);
  });
});
