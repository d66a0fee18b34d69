#!/usr/bin/python3
"""test_mail.py — `cundang mail` end to end (SPEC §2, §8 Mail): the .eml files parsed back with
Python's email package, and --send against a real SMTP server (aiosmtpd) on loopback with
STARTTLS on a certificate of a CA made here with openssl, AUTH, and a 550 for one recipient."""
import email
import logging
import warnings
import email.policy
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import HERE, ROOT, Checks, run, scratch_dir  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

logging.getLogger("mail.log").setLevel(logging.CRITICAL)  # aiosmtpd's own TLS failure traces
warnings.simplefilter("ignore")
checks = Checks()
check = checks.check

HB_TO = ["hb@houbai.example", "hb2@houbai.example"]
BH_TO = ["bh@baohua.example"]
HQ_TO = ["zongbu@bank.example"]
USER, PASSWORD = "zcsx", "s3cret-口令"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_ca(d, name):
    """A CA (d/name-ca.pem) and a certificate for 127.0.0.1 it signed (d/name.pem, d/name.key)."""
    ca_key, ca = f"{d}/{name}-ca.key", f"{d}/{name}-ca.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca,
            "-days", "2", "-subj", f"/CN=cundang test CA {name}")
    key, csr, crt = f"{d}/{name}.key", f"{d}/{name}.csr", f"{d}/{name}.pem"
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
            "-subj", "/CN=127.0.0.1")
    with open(f"{d}/{name}.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", crt, "-days", "2", "-extfile", f"{d}/{name}.ext")
    return ca, crt, key


class Handler:
    """Keeps every delivered message; refuses the recipients in self.refuse with 550."""

    def __init__(self):
        self.refuse = set()
        self.got = []  # (mail_from, rcpt_tos, content bytes, was TLS, login)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        self.got.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                         session.ssl is not None, login))
        return "250 queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, auth_data=USER.encode() if ok else None)


def server(handler, crt=None, key=None, implicit=False, starttls=True):
    """A started aiosmtpd Controller on a free loopback port."""
    kw = {}
    ctx = None
    if crt:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(crt, key)
    if implicit:
        kw["ssl_context"] = ctx
        kw["server_kwargs"] = {}
    elif starttls and ctx:
        kw.update(tls_context=ctx, require_starttls=True)
    c = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                   auth_require_tls=not implicit and starttls and bool(ctx),
                   auth_required=bool(ctx), **kw)
    c.start()
    return c


def write_site_yaml(archive, smtp, extra=""):
    with open(f"{ROOT}/tests/regress/small/input/site.yaml", encoding="utf-8") as f:
        s = f.read()
    s = s.replace("target_granted: 20}", "target_granted: 20, email: [%s]}" % ", ".join(HB_TO))
    s = s.replace("{code: BH, name: 宝华支行}", "{code: BH, name: 宝华支行, email: %s}" % BH_TO[0])
    s += ("mail:\n  from: 整村授信办公室 <zcsx@bank.example>\n  headquarters: [%s]\n"
          "  smtp: %s\n%s" % (HQ_TO[0], smtp, extra))
    with open(f"{archive}/site.yaml", "w", encoding="utf-8") as f:
        f.write(s)


def parse(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def sent_log(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.split("\t")[0] for line in f.read().splitlines()]


def mail(archive, site, out, *extra, password=None):
    env = dict(os.environ)
    env.pop("CUNDANG_SMTP_PASSWORD", None)
    if password is not None:
        env["CUNDANG_SMTP_PASSWORD"] = password
    p = subprocess.run([os.environ.get("CUNDANG_BIN", "") or CUNDANG, "mail", "-i", archive,
                        "--site", site, "-o", out, *extra], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stderr.decode("utf-8", "replace")


from testlib import CUNDANG  # noqa: E402

with scratch_dir("mail") as tmp:
    arch, site = f"{tmp}/in", f"{tmp}/site"
    shutil.copytree(f"{ROOT}/tests/regress/small/input", arch)
    ca, crt, key = make_ca(tmp, "good")
    rogue_ca, _, _ = make_ca(tmp, "rogue")
    shutil.copy(ca, f"{arch}/ca.pem")
    write_site_yaml(arch, "smtp://127.0.0.1:1", "  ca_file: ca.pem\n  user: zcsx\n")
    rc, _, err = run("build", "-q", "-i", arch, "-o", site)
    check("the site builds with the mail keys in site.yaml", rc == 0, err)

    # ---- composing ----
    rc, err = mail(arch, site, f"{tmp}/m1")
    d = f"{tmp}/m1/2026-10"
    check("mail without --send exits 0", rc == 0, err)
    check("... and writes BH.eml, HB.eml and summary.eml (GZ has no email)",
          sorted(os.listdir(d)) == ["BH.eml", "HB.eml", "summary.eml"], os.listdir(d))
    hb = parse(f"{d}/HB.eml")
    check("HB subject decodes to the Chinese subject", hb["subject"] == "后白支行 2026年10月 整村授信验收报告",
          hb["subject"])
    check("HB From is the sender with its Chinese name",
          hb["from"].addresses[0].display_name == "整村授信办公室" and
          hb["from"].addresses[0].addr_spec == "zcsx@bank.example", hb["from"])
    check("HB To is the branch's two addresses",
          [a.addr_spec for a in hb["to"].addresses] == HB_TO, hb["to"])
    check("HB Date is the as-of day", hb["date"] == "Sat, 31 Oct 2026 18:00:00 +0800", hb["date"])
    check("HB Message-ID is stable", hb["message-id"] == "<cundang.2026-10-31.HB@bank.example>",
          hb["message-id"])
    parts = [(p.get_content_type(), p.get_filename()) for p in hb.walk()]
    check("HB: mixed of alternative (plain, html), the workbook and the report page", parts == [
        ("multipart/mixed", None), ("multipart/alternative", None), ("text/plain", None),
        ("text/html", None), (XLSX, "后白支行 2026年10月 验收工作簿.xlsx"),
        ("text/html", "后白支行 2026年10月 验收报告.html")], parts)
    raw = open(f"{d}/HB.eml", "rb").read()
    check("HB file name is RFC 2231-encoded in Content-Disposition",
          b"filename*0*=UTF-8''%E5%90%8E%E7%99%BD" in raw, raw[:0])
    check("every line of the file ends in CRLF",
          raw.count(b"\n") == raw.count(b"\r\n") and raw.count(b"\n") > 100)
    atts = [p for p in hb.iter_attachments()]
    check("HB workbook attachment is byte-identical to the site's",
          atts[0].get_content() == open(f"{site}/workbooks/2026-10/HB.xlsx", "rb").read())
    check("HB report attachment is byte-identical to the site's",
          atts[1].get_payload(decode=True) == open(f"{site}/reports/2026-10/HB.html", "rb").read())
    plain = hb.get_body(("plain",)).get_content()
    html = hb.get_body(("html",)).get_content()
    want = "- 东湾村（A2） 得分 88.64：用信率 25.0%（要求 ≥ 30.0%）；不良率 55.6%（要求 ≤ 2.0%）"
    check("HB plain text names the failed village and how close it is", want in plain.splitlines(),
          plain)
    check("HB plain text has the summary line",
          "验收（截至 2026-10-31）：已启动 2 个村，通过 1 个，通过率 50.0%。" in plain.splitlines(), plain)
    check("HB HTML has the failed village's row",
          "东湾村（A2）</td><td style=\"border:1px solid #bbb;padding:4px 8px;text-align:right\">"
          "88.64</td>" in html and "用信率 25.0%（要求 ≥ 30.0%）；不良率 55.6%（要求 ≤ 2.0%）" in html)
    check("HB body names no other branch's village", "白兔" not in plain and "B1" not in plain, plain)
    bh = parse(f"{d}/BH.eml")
    check("BH subject", bh["subject"] == "宝华支行 2026年10月 整村授信验收报告", bh["subject"])
    hq = parse(f"{d}/summary.eml")
    check("headquarters subject names the bank",
          hq["subject"] == "测试农村商业银行 2026年10月 整村授信验收报告", hq["subject"])
    check("headquarters To", [a.addr_spec for a in hq["to"].addresses] == HQ_TO, hq["to"])
    hatts = [(p.get_filename(), p.get_payload(decode=True)) for p in hq.iter_attachments()]
    check("headquarters gets summary.xlsx and the bank report, byte-identical", hatts == [
        ("测试农村商业银行 2026年10月 汇总工作簿.xlsx",
         open(f"{site}/workbooks/2026-10/summary.xlsx", "rb").read()),
        ("测试农村商业银行 2026年10月 验收报告.html",
         open(f"{site}/reports/2026-10/index.html", "rb").read())], [h[0] for h in hatts])
    hplain = hq.get_body(("plain",)).get_content()
    check("headquarters text has a line per branch",
          "- 后白支行：已启动 2 个村，通过 1 个（50.0%），授信覆盖率 84.2%，用信率 31.3%" in
          hplain.splitlines() and len([x for x in hplain.splitlines() if x.startswith("- ")]) == 3,
          hplain)

    rc, err = mail(arch, site, f"{tmp}/m2")
    same = all(open(f"{d}/{f}", "rb").read() == open(f"{tmp}/m2/2026-10/{f}", "rb").read()
               for f in os.listdir(d))
    check("two runs write byte-identical .eml files", rc == 0 and same, err)
    rc, err = mail(arch, site, f"{tmp}/m3", "--branch", "HB")
    check("--branch HB writes HB.eml only",
          rc == 0 and os.listdir(f"{tmp}/m3/2026-10") == ["HB.eml"], err)

    # ---- refusals (exit 2, nothing written) ----
    rc, err = mail(arch, site, f"{site}/mail")
    check("a mail folder inside the site is exit 2", rc == 2 and "inside the site" in err and
          not os.path.exists(f"{site}/mail"), err)
    rc, err = mail(arch, site, f"{tmp}/x", "--branch", "GZ")
    check("--branch of a branch without email is exit 2",
          rc == 2 and "branch GZ has no email" in err, err)
    rc, err = mail(arch, f"{tmp}/nosite", f"{tmp}/x")
    check("a site not built is exit 2 naming the indicator document",
          rc == 2 and "nosite/data/indicators-2026-10.json: no indicator document" in err, err)
    good = open(f"{arch}/site.yaml", encoding="utf-8").read()
    for name, old, new, msg in [
            ("a bad branch address", "bh@baohua.example", "bh@@baohua",
             "site.yaml:6: branches[2].email: 'bh@@baohua' is not an e-mail address"),
            ("a bad headquarters address", "[zongbu@bank.example]", "[zongbu@bank.example, x y@z]",
             "mail.headquarters[2]: 'x y@z' is not an e-mail address"),
            ("a bad sender", "整村授信办公室 <zcsx@bank.example>", "整村授信办公室 zcsx",
             "mail.from: '整村授信办公室 zcsx' is not an address"),
            ("a bad smtp URL", "smtp://127.0.0.1:1", "http://127.0.0.1:1",
             "mail.smtp: 'http://127.0.0.1:1' is not smtp://host:port"),
            ("a bad starttls", "  ca_file:", "  starttls: maybe\n  ca_file:", "mail.starttls:"),
            ("a missing ca_file", "ca_file: ca.pem", "ca_file: nope.pem", "mail.ca_file: cannot read")]:
        with open(f"{arch}/site.yaml", "w", encoding="utf-8") as f:
            f.write(good.replace(old, new))
        rc, err = mail(arch, site, f"{tmp}/bad")
        check(f"{name} is exit 2 naming the key", rc == 2 and msg in err and
              not os.path.exists(f"{tmp}/bad"), err)
    with open(f"{arch}/site.yaml", "w", encoding="utf-8") as f:
        f.write(good.replace("  user: zcsx\n", "  starttls: false\n"))
    rc, err = mail(arch, site, f"{tmp}/bad", "--send", password=PASSWORD)
    check("a password with starttls: false is exit 2 (never sent without TLS)", rc == 2 and
          "never sent without TLS" in err and not os.path.exists(f"{tmp}/bad"), err)
    with open(f"{arch}/site.yaml", "w", encoding="utf-8") as f:
        f.write(good)
    rc, err = mail(arch, site, f"{tmp}/bad", "--send")
    check("mail.user without CUNDANG_SMTP_PASSWORD is exit 2", rc == 2 and
          "CUNDANG_SMTP_PASSWORD" in err and not os.path.exists(f"{tmp}/bad"), err)

    # ---- the server unreachable ----
    port = free_port()
    write_site_yaml(arch, f"smtp://127.0.0.1:{port}", "  ca_file: ca.pem\n  user: zcsx\n")
    rc, err = mail(arch, site, f"{tmp}/u", "--send", password=PASSWORD)
    check("an unreachable server is exit 3 naming every message", rc == 3 and
          all(f"{f}): not sent" in err or f"{f} (" in err for f in ("BH.eml", "HB.eml")) and
          "Couldn't connect" in err and "0 sent" in err and "3 not sent" in err, err)
    check("... and nothing is marked sent", sent_log(f"{tmp}/u/2026-10/sent.log") == [])

    # ---- STARTTLS + AUTH, one recipient refused ----
    h = Handler()
    h.refuse = {BH_TO[0]}
    c = server(h, crt, key)
    try:
        write_site_yaml(arch, f"smtp://127.0.0.1:{c.port}", "  ca_file: ca.pem\n  user: zcsx\n")
        rc, err = mail(arch, site, f"{tmp}/s", "--send", password=PASSWORD)
        log = f"{tmp}/s/2026-10/sent.log"
        check("a refused recipient is exit 3 naming its message",
              rc == 3 and re.search(r"BH\.eml \(宝华支行, to bh@baohua\.example\): not sent: .*550",
                                    err) is not None, err)
        check("... the others are delivered", sorted(g[1][0] for g in h.got) == sorted(
            [HB_TO[0], HQ_TO[0]]) and len(h.got) == 2, [g[1] for g in h.got])
        check("... over TLS, logged in as mail.user", all(g[3] and g[4] == USER for g in h.got),
              [(g[3], g[4]) for g in h.got])
        delivered = {tuple(g[1]): g[2] for g in h.got}
        check("... each arrives byte for byte as its .eml file (envelope from the sender)",
              delivered.get(tuple(HB_TO)) == open(f"{tmp}/s/2026-10/HB.eml", "rb").read() and
              all(g[0] == "zcsx@bank.example" for g in h.got),
              len(delivered.get(tuple(HB_TO), b"")))
        got = email.message_from_bytes(delivered.get(tuple(HB_TO), b""),
                                                     policy=email.policy.default)
        check("... and decodes to the Chinese subject at the server",
              got["subject"] == "后白支行 2026年10月 整村授信验收报告", got["subject"])
        check("sent.log lists exactly the delivered ones", sorted(sent_log(log)) ==
              ["HB.eml", "summary.eml"], sent_log(log))
        h.refuse = set()
        h.got = []
        rc, err = mail(arch, site, f"{tmp}/s", "--send", password=PASSWORD)
        check("a second run sends only the missing one", rc == 0 and
              [g[1] for g in h.got] == [BH_TO] and "1 sent, 2 already sent, 0 not sent" in err, err)
        check("... and sent.log now lists all three",
              sorted(sent_log(log)) == ["BH.eml", "HB.eml", "summary.eml"], sent_log(log))
        h.got = []
        rc, err = mail(arch, site, f"{tmp}/s", "--send", password=PASSWORD)
        check("a third run sends nothing", rc == 0 and h.got == [] and "0 sent, 3 already sent" in err,
              err)
        shutil.copy(rogue_ca, f"{arch}/rogue.pem")
        write_site_yaml(arch, f"smtp://127.0.0.1:{c.port}", "  ca_file: rogue.pem\n  user: zcsx\n")
        rc, err = mail(arch, site, f"{tmp}/r", "--send", password=PASSWORD)
        check("a certificate the CA did not sign is exit 3, nothing sent", rc == 3 and h.got == []
              and "3 not sent" in err and not sent_log(f"{tmp}/r/2026-10/sent.log"), err)
    finally:
        c.stop()

    # ---- a server without STARTTLS ----
    h = Handler()
    c = server(h, starttls=False)
    try:
        write_site_yaml(arch, f"smtp://127.0.0.1:{c.port}", "  ca_file: ca.pem\n")
        rc, err = mail(arch, site, f"{tmp}/p", "--send")
        check("smtp:// to a server without STARTTLS is exit 3, nothing sent",
              rc == 3 and h.got == [] and "3 not sent" in err, err)
        write_site_yaml(arch, f"smtp://127.0.0.1:{c.port}", "  starttls: false\n")
        rc, err = mail(arch, site, f"{tmp}/p", "--send")
        check("... with starttls: false (no password) the relay gets all three",
              rc == 0 and len(h.got) == 3 and not any(g[3] for g in h.got), err)
    finally:
        c.stop()

    # ---- smtps:// ----
    h = Handler()
    c = server(h, crt, key, implicit=True)
    try:
        write_site_yaml(arch, f"smtps://127.0.0.1:{c.port}", "  ca_file: ca.pem\n  user: zcsx\n")
        rc, err = mail(arch, site, f"{tmp}/i", "--send", password=PASSWORD)
        check("smtps:// (implicit TLS) delivers all three", rc == 0 and len(h.got) == 3 and
              all(g[4] == USER for g in h.got), err)
    finally:
        c.stop()

sys.exit(checks.summary())
