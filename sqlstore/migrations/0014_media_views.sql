-- Examiners' views of seized media (issue 8). A record table: each row carries the
-- audit entry that created it, and none is ever updated or deleted. A row says that
-- user_name, an examiner of the case, asked to see the content sha256 of the file
-- media_id as a blurred greyscale thumbnail, at the time at (set by the server), for
-- the reason given. The thumbnail itself is never stored.
CREATE TABLE media_views (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    media_id  TEXT NOT NULL REFERENCES media (id),
    sha256    TEXT NOT NULL REFERENCES contents (sha256),
    user_name TEXT NOT NULL,
    role      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    at        TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX media_views_entry ON media_views (entry);
CREATE INDEX media_views_media ON media_views (media_id);
