package io.gale.demos.blog;

/**
 * What every handler of one blog shares: its store, title, password hashing and limits.
 * Immutable; the store is thread-safe.
 */
record Blog(BlogStore store, String title, Passwords passwords, BlogLimits limits) {
}
