package io.gale.web;

/** The Gale version sent in the {@code Server} header. */
final class Version {
    static final String VERSION = "0.1";

    private Version() {
    }
}
