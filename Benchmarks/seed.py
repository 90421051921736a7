#!/usr/bin/env python3
"""Fills a Moderato database with N comments over P posts, statuses mixed like a real site's
(70% approved, 15% pending, 12% spam, 3% trash), some of them replies.

  seed.py DATABASE COMMENTS [POSTS]      # POSTS defaults to 10000

The database must already have Moderato's schema (`moderato migrate`); the schema's triggers keep
the comment counts. Writes straight to SQLite in one transaction (fast: a million rows in about
a minute), with hashes in the stored format — 64 hex characters, never an address. Also adds
/bench/thread/ with 100 approved comments, the shape the benchmarks list.
"""
import hashlib
import random
import sqlite3
import sys
import time


def main(path, comments, posts=10000):
    comments, posts = int(comments), int(posts)
    random.seed(20261127)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")  # a bulk load, not an acknowledged comment
    now = time.strftime("%Y-%m-%d %H:%M:%S.000", time.gmtime())
    db.execute("BEGIN")
    db.executemany(
        "INSERT OR IGNORE INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?)",
        [(f"/scale/{p}/", now, now) for p in range(posts)] + [("/bench/thread/", now, now)],
    )
    statuses = ["approved"] * 70 + ["pending"] * 15 + ["spam"] * 12 + ["trash"] * 3
    last_approved = {}
    rows = []
    next_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0] or 0) + 1
    for index in range(comments):
        post = f"/scale/{index % posts}/"
        status = random.choice(statuses)
        parent = last_approved.get(post) if status == "approved" and random.random() < 0.3 else None
        email_hash = hashlib.sha256(f"author-{index % (comments // 3 + 1)}".encode()).hexdigest()
        ip_hash = hashlib.sha256(f"ip-{index % 50000}".encode()).hexdigest()
        rows.append((next_id, post, parent, status, f"Author {index % 5000}", None, email_hash, ip_hash,
                     f"Seeded comment {index}: some words about the article, and a second sentence.", now, now))
        if status == "approved":
            last_approved[post] = next_id
        next_id += 1
        if len(rows) >= 50000:
            insert(db, rows)
            rows = []
    for index in range(100):
        rows.append((next_id, "/bench/thread/", None, "approved", f"Reader {index}", None,
                     hashlib.sha256(f"reader-{index}".encode()).hexdigest(), None,
                     f"Seed comment {index}: a short paragraph of text, with a link https://example.org/{index}.", now, now))
        next_id += 1
    insert(db, rows)
    db.execute("UPDATE posts SET version = 1")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = db.execute("SELECT SUM(count) FROM status_counts").fetchone()[0]
    print(f"{path}: {total} comments over {posts + 1} posts")


def insert(db, rows):
    db.executemany(
        "INSERT INTO comments (id, post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
