package io.gale.web;

/**
 * Keeps a redirect that is meant to stay on this server there. Browsers read a {@code Location}
 * starting with {@code //} or {@code /\} as another host ({@code //evil.example/}), so a path
 * built from the request ({@code @RemoveSlash} on {@code //evil.example/}, a
 * {@code RedirectHandler} template {@code /{0}} filled with {@code /evil.example}) would become an
 * open redirect; Tornado sends such paths as they are. Gale folds the leading run of slashes and
 * backslashes into one {@code /}.
 */
final class LocalRedirect {
    private LocalRedirect() {
    }

    /** {@code path} with a leading run of {@code /} and {@code \} made a single {@code /}. */
    static String path(String path) {
        if (path.length() < 2 || path.charAt(0) != '/' || (path.charAt(1) != '/' && path.charAt(1) != '\\')) {
            return path;
        }
        int i = 1;
        while (i < path.length() && (path.charAt(i) == '/' || path.charAt(i) == '\\')) {
            i++;
        }
        return "/" + path.substring(i);
    }
}
