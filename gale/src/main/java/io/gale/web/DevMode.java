package io.gale.web;

import io.gale.autoreload.Autoreload;
import io.gale.internal.autoreload.ChildLink;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an {@link Application} does for dev mode ({@code io.gale.autoreload}): with the
 * {@code autoreload} setting, its {@code listen} makes the process the supervisor (when started
 * from a {@code main} method, see {@link Autoreload#superviseFromMain()}); in a child, it tells
 * the supervisor which directories need no restart because the application re-reads them: the
 * template directory (or the class path's {@code templates} folders) unless compiled templates
 * are cached, the static directory unless static hashes are cached.
 */
final class DevMode {
    private DevMode() {
    }

    static void applicationCreated(ApplicationSettings settings) {
        if (!ChildLink.active()) {
            return;
        }
        ChildLink link = ChildLink.get();
        if (!settings.compiledTemplateCache() && settings.templateEngine() == null) {
            if (settings.templatePath() != null) {
                link.livePath(settings.templatePath());
            } else {
                for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                    if (!entry.isEmpty() && Files.isDirectory(Path.of(entry))) {
                        link.livePath(Path.of(entry, "templates"));
                    }
                }
            }
        }
        if (!settings.staticHashCache()) {
            link.livePath(settings.staticPath());
        }
    }

    static void beforeListen(ApplicationSettings settings) {
        if (settings.autoreload()) {
            Autoreload.superviseFromMain();
        }
    }
}
