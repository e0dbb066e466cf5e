package io.gale.web;

/**
 * An application's static-file state: the version cache, the files kept open
 * ({@link OpenFiles}), and the instance of the
 * {@code staticHandlerClass} setting whose {@code makeStaticUrl} builds {@code staticUrl}'s URLs
 * (Tornado calls a class method; Java has no overridable static methods, so Gale keeps one
 * instance, attached to no request, for the URL hooks).
 *
 * <p>Thread-safe: the instance is created once on first use (a race creates two and keeps one;
 * handlers hold no state between URL calls).
 */
final class StaticFiles {
    private final ApplicationSettings settings;
    final StaticVersions versions;
    final OpenFiles openFiles = new OpenFiles();
    private volatile StaticFileHandler urlMaker;

    StaticFiles(ApplicationSettings settings) {
        this.settings = settings;
        this.versions = new StaticVersions(settings.staticHashCache());
    }

    /** {@code staticUrl}'s path part: the staticHandlerClass's {@code makeStaticUrl}. */
    String url(String path, boolean includeVersion) {
        if (settings.staticPath() == null) {
            throw new IllegalStateException("staticUrl needs the staticPath setting");
        }
        StaticFileHandler h = urlMaker;
        if (h == null) {
            h = (StaticFileHandler) HandlerInfo.of(settings.staticHandlerClass()).newInstance();
            h.useVersions(versions);
            urlMaker = h;
        }
        return h.makeStaticUrl(settings, path, includeVersion);
    }
}
