/**
 * Translations and locale-aware formatting (Tornado's {@code tornado.locale}): {@link
 * io.gale.locale.Locales} loads an application's message catalogues (Tornado's CSV format, or
 * gettext {@code .mo}/{@code .po} with plural forms) and picks the closest supported
 * {@link io.gale.locale.Locale}; a locale translates ({@code _()} in templates) and formats
 * dates ("3 minutes ago"), lists and numbers. A request's locale is
 * {@code RequestHandler.locale()}: {@code getUserLocale()}, else the {@code Accept-Language}
 * header.
 *
 * <pre>{@code
 * Application app = new Application(routes, ApplicationSettings.builder()
 *         .locales(Locales.loadGettextTranslations(Path.of("locale"), "myapp"))
 *         .build());
 *
 * public final class HomeHandler extends RequestHandler {
 *     public void get() {
 *         Locale l = locale();
 *         write(l.translate("Welcome") + " " + l.formatDate(lastVisit));
 *     }
 * }
 * }</pre>
 */
package io.gale.locale;
