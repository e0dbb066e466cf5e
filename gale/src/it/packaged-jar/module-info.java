/**
 * The program PackagedJarIT runs against the packaged gale jar, as a user's application would be:
 * it needs io.gale and nothing else (no JZlib module or jar). Exported so that Gale can create the
 * handler it routes to.
 */
module gale.probe {
    requires io.gale;

    exports gale.probe;
}
