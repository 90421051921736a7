#!/usr/bin/env python3
"""Build the Isso fixture database with Isso 0.14.0 itself.

    python3 make-isso-db.py OUT.db

Creates a venv under .generated/ next to this file (git-ignored), installs isso==0.14.0 from PyPI
into it, and writes OUT.db through Isso's own `isso.db.SQLite3` and its comments API — so the
schema, the column types and the way Isso stores a deleted comment are Isso's, not ours. Values
go through what Isso's `POST /new` view does to them first (`html.escape` of author and email,
`normalize` of the website, `anonymize` of the address).

Exit status 3 means python's venv, pip or PyPI is not available (the Swift test then skips);
anything else non-zero is a real failure.
"""
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".generated", "isso-venv")
PYTHON = os.path.join(VENV, "bin", "python")
UNAVAILABLE = 3


def ensure_isso():
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(PYTHON):
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as error:  # no ensurepip, no venv module …
            print(f"make-isso-db: cannot create a venv: {error}", file=sys.stderr)
            sys.exit(UNAVAILABLE)
    check = subprocess.run([PYTHON, "-c", "import isso, sys; sys.exit(isso.dist.version != '0.14.0')"],
                           capture_output=True)
    if check.returncode != 0:
        install = subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "isso==0.14.0"])
        if install.returncode != 0:
            print("make-isso-db: pip could not install isso==0.14.0 (is PyPI reachable?)", file=sys.stderr)
            sys.exit(UNAVAILABLE)
    os.execv(PYTHON, [PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def build(out):
    from html import escape

    from isso import config
    from isso.db import SQLite3
    from isso.utils import anonymize
    from isso.views.comments import normalize

    tmp = out + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    conf = config.load(config.default_file())
    db = SQLite3(tmp, conf)

    def thread(uri, title):
        db.threads.new(uri, title)
        return uri

    def comment(uri, text, created, mode=1, author=None, email=None, website=None, remote_addr="127.0.0.1", parent=None):
        # What the /new view does to the fields before it calls comments.add.
        data = {
            "text": text, "parent": parent, "created": created, "mode": mode, "remote_addr": anonymize(remote_addr),
            "author": escape(author, quote=False) if author is not None else None,
            "email": escape(email, quote=False) if email is not None else None,
            "website": normalize(escape(website, quote=True)) if website else None,
            "notification": 0,
        }
        return db.comments.add(uri, data)["id"]

    # A Japanese article; its uri is written decomposed (NFD), as some file systems and tools do.
    article = thread("/2025/03/ceasefire-cafe\u0301/", "トランプ政権下の停戦・和平交渉の経緯")
    about = thread("/about/", "About & contact")
    custom = thread("not-a-path", "A thread with a custom data-isso-id")

    first = comment(article, "**停戦交渉**について。\n\n- 2月18日: 米露のみ\n- 2月28日: 決裂\n\nI <3 it & you?",
                    1740000000.25, author="山田 太郎", email=" Taro.Yamada@Example.JP ",
                    website="taro.example", remote_addr="203.0.113.7")
    held = comment(article, "承認待ちの返信です。", 1740000600.0, mode=2, author="Hanako",
                   email="taro.yamada@example.jp", remote_addr="203.0.113.8", parent=first)
    # Isso keeps one level of replies: a reply to a reply is stored under the top-level comment.
    comment(article, "Reply to a reply, `code` and  two  spaces.", 1740001200.0, author="Tom & Jerry",
            email="TARO.YAMADA@EXAMPLE.JP", remote_addr="2001:db8:85a3::8a2e:370:7334", parent=held)
    doomed = comment(article, "This one will be deleted.", 1740001800.0, author="Ghost", email="ghost@example.org",
                     parent=None)
    comment(article, "A reply to the deleted comment.", 1740002400.0, author="Survivor", parent=doomed)
    db.comments.delete(doomed)  # has a reply: Isso keeps it as mode 4 with its text erased
    comment(article, "Anonymous, no email, no website.", 1740003000.0)
    trashed = comment(about, "Moderated away, text kept.", 1740003600.0, author="Spammy", email="spam@example.org")
    db.comments.update(trashed, {"mode": 4})
    comment(about, "Line one\r\nline two", 1740004200.0, author="Windows User", email="win@example.org",
            website="https://win.example/")
    comment(custom, "On a thread whose uri is not a path.", 1740004800.0, author="Elsewhere")

    os.replace(tmp, out)
    print(f"make-isso-db: wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    ensure_isso()
    build(os.path.abspath(sys.argv[1]))
