package io.gale.demos.blog;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blog's queries (Tornado's demo has them inline in its handlers): every value goes in as a
 * statement parameter, never into the SQL text, so quotes, semicolons and comment markers in a
 * title or an address are data. Each method takes a connection from the pool and returns it.
 *
 * <p>Threading: thread-safe; every method blocks on the database, so callers run on virtual
 * threads ({@code @RunOnVirtualThread} handlers). Failures are {@link SQLException}s, except the
 * outcomes a caller decides on ({@link #createFirstAuthor} returning empty).
 */
final class BlogStore {
    /** SQLSTATE of a unique-constraint violation, the same in PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_SLUG_ATTEMPTS = 1000;

    private final Database db;
    /** Serialises first-author creation within this process (see {@link #createFirstAuthor}). */
    private final ReentrantLock firstAuthor = new ReentrantLock();

    BlogStore(Database db) {
        this.db = db;
    }

    // ------------------------------------------------------------------------------- entries

    /** The newest {@code limit} entries, newest first. */
    List<Entry> latest(int limit) throws SQLException {
        return entries("SELECT * FROM entries ORDER BY published DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY");
    }

    /** Every entry, newest first (the archive). */
    List<Entry> all() throws SQLException {
        return entries("SELECT * FROM entries ORDER BY published DESC, id DESC");
    }

    Optional<Entry> bySlug(String slug) throws SQLException {
        return one("SELECT * FROM entries WHERE slug = ?", slug);
    }

    Optional<Entry> byId(int id) throws SQLException {
        return one("SELECT * FROM entries WHERE id = ?", id);
    }

    /**
     * Stores a new entry under the first free slug of {@code baseSlug}, {@code baseSlug-2},
     * {@code baseSlug-3}, ... and returns it. The unique constraint decides (an insert that
     * collides is retried with the next slug), so two authors publishing the same title at the
     * same moment still get two slugs.
     */
    Entry insert(int authorId, String baseSlug, String title, String markdown, String html) throws SQLException {
        Instant now = now();
        try (Connection c = db.connection()) {
            for (int n = 1; n <= MAX_SLUG_ATTEMPTS; n++) {
                String slug = n == 1 ? baseSlug : baseSlug + "-" + n;
                if (n == 1 || !slugTaken(c, slug)) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO entries "
                            + "(author_id, slug, title, markdown, html, published, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            new String[] {"id"})) {
                        s.setInt(1, authorId);
                        s.setString(2, slug);
                        s.setString(3, title);
                        s.setString(4, markdown);
                        s.setString(5, html);
                        s.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                        s.setObject(7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                        s.executeUpdate();
                        return new Entry(generatedId(s), authorId, slug, title, markdown, html, now, now);
                    } catch (SQLException e) {
                        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                            throw e;
                        }
                        // taken meanwhile (or on the first try): the next number
                    }
                }
            }
        }
        throw new SQLException("no free slug for " + baseSlug + " after " + MAX_SLUG_ATTEMPTS + " attempts");
    }

    /** Replaces an entry's title and text (its slug stays, so links keep working); false if there is no such entry. */
    boolean update(int id, String title, String markdown, String html) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement(
                     "UPDATE entries SET title = ?, markdown = ?, html = ?, updated = ? WHERE id = ?")) {
            s.setString(1, title);
            s.setString(2, markdown);
            s.setString(3, html);
            s.setObject(4, OffsetDateTime.ofInstant(now(), ZoneOffset.UTC));
            s.setInt(5, id);
            return s.executeUpdate() == 1;
        }
    }

    private static boolean slugTaken(Connection c, String slug) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM entries WHERE slug = ?")) {
            s.setString(1, slug);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private List<Entry> entries(String sql, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
            List<Entry> out = new ArrayList<>();
            while (r.next()) {
                out.add(entry(r));
            }
            return out;
        }
    }

    private Optional<Entry> one(String sql, Object... args) throws SQLException {
        List<Entry> found = entries(sql, args);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static Entry entry(ResultSet r) throws SQLException {
        return new Entry(r.getInt("id"), r.getInt("author_id"), r.getString("slug"), r.getString("title"),
                r.getString("markdown"), r.getString("html"),
                r.getObject("published", OffsetDateTime.class).toInstant(),
                r.getObject("updated", OffsetDateTime.class).toInstant());
    }

    // ------------------------------------------------------------------------------- authors

    boolean anyAuthor() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 1 FROM authors FETCH FIRST 1 ROWS ONLY")) {
            return r.next();
        }
    }

    Optional<Author> authorById(int id) throws SQLException {
        return author("SELECT * FROM authors WHERE id = ?", id);
    }

    Optional<Author> authorByEmail(String email) throws SQLException {
        return author("SELECT * FROM authors WHERE email = ?", email);
    }

    /**
     * Creates the first author, or nothing (empty) when an author exists already. The check and
     * the insert are one statement ({@code INSERT ... SELECT ... WHERE NOT EXISTS}) under a lock of
     * this process, so two requests racing to create the first author make one; two processes
     * sharing a PostgreSQL database could still both succeed (as in Tornado's demo) with
     * different addresses.
     */
    Optional<Author> createFirstAuthor(String email, String name, String hashedPassword) throws SQLException {
        firstAuthor.lock();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO authors (email, name, hashed_password) "
                     + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM authors)", new String[] {"id"})) {
            s.setString(1, email);
            s.setString(2, name);
            s.setString(3, hashedPassword);
            if (s.executeUpdate() == 0) {
                return Optional.empty();
            }
            return Optional.of(new Author(generatedId(s), email, name, hashedPassword));
        } finally {
            firstAuthor.unlock();
        }
    }

    private Optional<Author> author(String sql, Object arg) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = prepare(c, sql, arg); ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            return Optional.of(new Author(r.getInt("id"), r.getString("email"), r.getString("name"),
                    r.getString("hashed_password")));
        }
    }

    // ------------------------------------------------------------------------------ settings

    /**
     * The cookie secret kept in the database: made (32 random bytes) by the first start and read
     * by every later one, so logins survive a restart and several processes on one PostgreSQL
     * database accept each other's cookies.
     */
    String cookieSecret() throws SQLException {
        Optional<String> kept = setting("cookie_secret");
        if (kept.isPresent()) {
            return kept.get();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO blog_settings (setting_name, setting_value) VALUES (?, ?)")) {
            s.setString(1, "cookie_secret");
            s.setString(2, Base64.getEncoder().encodeToString(random));
            s.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            // another process made it first: take theirs
        }
        return setting("cookie_secret").orElseThrow(() -> new SQLException("cookie secret missing after insert"));
    }

    private Optional<String> setting(String name) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = prepare(c, "SELECT setting_value FROM blog_settings WHERE setting_name = ?", name);
             ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------- helpers

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static int generatedId(PreparedStatement s) throws SQLException {
        try (ResultSet keys = s.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getInt(1);
        }
    }

    /** Now, to the microsecond: what both databases keep, so a stored time reads back equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
